// Concurrency and faults: parallel creates, and hull killed at random moments, must never
// leave anything behind once `hull delete --force` has run.
#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <random>
#include <thread>

#include "base/file.hpp"
#include "support/hull_env.hpp"

using hull::test::HullEnv;

TEST_CASE("parallel creates of distinct ids all succeed and all delete cleanly") {
    HullEnv env;
    auto bundle = env.bundle("b", {"sleep", "300"});
    constexpr int kContainers = 50;
    std::vector<hull::test::CommandResult> results(kContainers);
    std::vector<std::thread> threads;
    for (int i = 0; i < kContainers; ++i)
        threads.emplace_back([&, i] {
            results[i] = env.hull({"create", "--bundle", bundle.path(), "p" + std::to_string(i)});
        });
    for (auto& t : threads)
        t.join();
    for (int i = 0; i < kContainers; ++i) {
        INFO("p" << i << ": " << results[i].err);
        CHECK(results[i].status == 0);
    }
    threads.clear();
    for (int i = 0; i < kContainers; ++i)
        threads.emplace_back([&, i] {
            results[i] = env.hull({"delete", "p" + std::to_string(i)});
        });
    for (auto& t : threads)
        t.join();
    for (int i = 0; i < kContainers; ++i)
        CHECK(results[i].status == 0);
    CHECK(env.leaks() == "");
}

TEST_CASE("parallel creates of one id: exactly one wins, the others leave nothing") {
    HullEnv env;
    auto bundle = env.bundle("b", {"sleep", "300"});
    constexpr int kRacers = 10;
    std::vector<hull::test::CommandResult> results(kRacers);
    std::vector<std::thread> threads;
    for (int i = 0; i < kRacers; ++i)
        threads.emplace_back([&, i] {
            results[i] = env.hull({"create", "--bundle", bundle.path(), "same"});
        });
    for (auto& t : threads)
        t.join();
    int winners = 0;
    for (const auto& r : results) {
        if (r.status == 0) {
            ++winners;
        } else {
            CHECK_THAT(r.err, Catch::Contains("container with id exists: same"));
        }
    }
    CHECK(winners == 1);
    CHECK(env.hull({"list", "-q"}).out == "same\n");
    CHECK(env.hull({"delete", "same"}).status == 0);
    CHECK(env.leaks() == "");
}

namespace {

// Starts `hull args...`, SIGKILLs it after delay_us (if still running), and reaps it.
void run_and_kill(HullEnv& env, const std::vector<std::string>& args, int delay_us) {
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        std::vector<std::string> argv = {hull::test::hull_binary(), "--root", env.root()};
        argv.insert(argv.end(), args.begin(), args.end());
        std::vector<char*> c;
        for (auto& a : argv)
            c.push_back(a.data());
        c.push_back(nullptr);
        int null = ::open("/dev/null", O_RDWR);
        ::dup2(null, 1);
        ::dup2(null, 2);
        ::execv(c[0], c.data());
        ::_exit(127);
    }
    ::usleep(static_cast<useconds_t>(delay_us));
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
}

}  // namespace

TEST_CASE("create, start and delete killed at random moments: delete --force cleans up") {
    HullEnv env;
    auto bundle = env.bundle("b", {"sleep", "300"});
    std::mt19937 rng(12345);
    // A create takes a few ms here; spread the kills over its whole duration.
    std::uniform_int_distribution<int> delay(0, 30000);
    // 200 kills of each command: create, start, delete in turn.
    constexpr int kRounds = 600;
    for (int i = 0; i < kRounds; ++i) {
        std::string id = "f" + std::to_string(i);
        int phase = i % 3;
        if (phase == 0) {
            run_and_kill(env, {"create", "--bundle", bundle.path(), id}, delay(rng));
        } else {
            REQUIRE(env.hull({"create", "--bundle", bundle.path(), id}).status == 0);
            if (phase == 1) {
                run_and_kill(env, {"start", id}, delay(rng) / 10);
            } else {
                run_and_kill(env, {"delete", "--force", id}, delay(rng) / 10);
            }
        }
        auto cleanup = env.hull({"delete", "--force", id});
        INFO("round " << i << " (phase " << phase << "): " << cleanup.err);
        // Either it cleaned up, or nothing was there to clean.
        bool ok = cleanup.status == 0 || cleanup.err.find("does not exist") != std::string::npos;
        CHECK(ok);
        CHECK(env.hull({"list", "-q"}).out == "");
    }
    CHECK(env.leaks() == "");
}

TEST_CASE("an init killed during create is a clear error and leaves nothing") {
    HullEnv env;
    auto bundle = env.bundle("b", {"sleep", "300"});
    // The createRuntime hook gets the state on stdin and kills the init it names.
    const std::string hook = env.dir() / "kill-init";
    hull::write_file(hook, R"sh(#!/bin/sh
pid=$(sed -n 's/.*"pid": *\([0-9]*\).*/\1/p')
kill -9 "$pid"
)sh");
    REQUIRE(::chmod(hook.c_str(), 0755) == 0);
    bundle.set("/hooks/createRuntime", R"([{"path":")" + hook + R"("}])");
    auto r = env.hull({"create", "--bundle", bundle.path(), "dies"});
    CHECK(r.status == 1);
    // Whether the parent sees the SIGKILL or first the channel close depends on timing.
    CHECK_THAT(r.err,
               Catch::StartsWith("hull: container init") && Catch::EndsWith("during create\n"));
    CHECK(env.hull({"list", "-q"}).out == "");
    CHECK(env.leaks() == "");
}

namespace {

// A small tmpfs for --root, unmounted when the test ends, pass or fail.
struct TmpfsRoot {
    std::string path;
    TmpfsRoot(const std::string& dir, const std::string& options) : path(dir) {
        REQUIRE(::mkdir(path.c_str(), 0700) == 0);
        REQUIRE(::mount("tmpfs", path.c_str(), "tmpfs", 0, options.c_str()) == 0);
    }
    ~TmpfsRoot() { ::umount2(path.c_str(), MNT_DETACH); }
};

}  // namespace

TEST_CASE("a full disk or an unwritable --root is a clear error and leaves no half state") {
    HullEnv env;
    auto bundle = env.bundle("b", {"sleep", "300"});
    env.track("nospace");
    SECTION("full") {
        TmpfsRoot root(env.dir() / "full", "size=64k,mode=0700");
        // Fill it up, leaving no block for the container's state.
        auto fill = hull::test::run_command(
            {"sh", "-c", "cat /dev/zero > " + root.path + "/fill 2>/dev/null; true"});
        auto r = hull::test::run_command({hull::test::hull_binary(), "--root", root.path, "create",
                                          "--bundle", bundle.path(), "nospace"});
        CHECK(r.status == 1);
        CHECK_THAT(r.err, Catch::Contains("No space left on device"));
        CHECK(hull::test::run_command({"ls", "-A", root.path}).out == "fill\n");
        CHECK(
            hull::test::run_command({hull::test::hull_binary(), "--root", root.path, "list", "-q"})
                .out == "");
    }
    SECTION("read-only") {
        TmpfsRoot root(env.dir() / "ro", "ro,mode=0700");
        auto r = hull::test::run_command({hull::test::hull_binary(), "--root", root.path, "create",
                                          "--bundle", bundle.path(), "nospace"});
        CHECK(r.status == 1);
        CHECK_THAT(r.err, Catch::Contains("Read-only file system"));
        CHECK(hull::test::run_command({"ls", "-A", root.path}).out == "");
    }
    CHECK(env.leaks() == "");
}
