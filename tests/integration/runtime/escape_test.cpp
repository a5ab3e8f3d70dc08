// Published container escapes from runc and crun, each replayed against hull for real: a
// hostile rootfs or config, a real container, and a check that the host was not touched.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <stdio.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <thread>

#include "base/file.hpp"
#include "support/hull_env.hpp"

using hull::test::BusyboxBundle;
using hull::test::CommandOptions;
using hull::test::CommandResult;
using hull::test::HullEnv;
using hull::test::read_text;
using hull::test::run_command;

namespace {

void write_executable(const std::string& path, const std::string& content) {
    hull::write_file(path, content);
    REQUIRE(::chmod(path.c_str(), 0755) == 0);
}

// Waits (bounded) for a file the container writes when it is done.
std::string wait_for_file(const std::string& path) {
    for (int i = 0; i < 400; ++i) {
        if (::access(path.c_str(), F_OK) == 0) return read_text(path);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return "(timed out waiting for " + path + ")";
}

#ifdef HULL_TEST_FAKE_LOADER
// CVE-2019-5736. The rootfs makes the container's process "#!/proc/self/exe", so the kernel
// runs hull itself (the binary of the process that execs it) inside the container, and ships
// its own dynamic loader, which the kernel then runs inside that hull process. The loader
// keeps /proc/self/exe open and hands it to attack.sh, which waits until no hull process is
// left (then nothing holds the binary busy) and writes through it.
struct ExeAttack {
    HullEnv& env;
    std::string victim;  // a copy of hull under test: a failed defence destroys only the copy
    BusyboxBundle bundle;

    ExeAttack(HullEnv& e, const std::vector<std::string>& args)
        : env(e), victim(e.dir() / "victim-hull"), bundle(e.bundle("b", args)) {
        hull::write_file(victim, hull::read_file(hull::test::hull_binary()));
        REQUIRE(::chmod(victim.c_str(), 0755) == 0);
        bundle.set("/root/readonly", "false");  // attack.sh reports through files in /
        const std::string rootfs = bundle.rootfs();
        write_executable(rootfs + "/victim", "#!/proc/self/exe\n");
        REQUIRE(::mkdir((rootfs + "/lib64").c_str(), 0755) == 0);
        write_executable(rootfs + "/lib64/ld-linux-x86-64.so.2",
                         hull::read_file(HULL_TEST_FAKE_LOADER));
        hull::write_file(rootfs + "/attack.sh", R"sh(
if [ ! -e /proc/self/fd/9 ]; then echo no-reference >/result.tmp; mv /result.tmp /result; exit; fi
readlink /proc/self/fd/9 >/reference
while [ ! -e /go ]; do usleep 20000; done
if echo pwned 2>/error >/proc/self/fd/9; then echo overwritten; else echo "refused: $(cat /error)"; fi >/result.tmp
mv /result.tmp /result
)sh");
    }

    CommandResult hull(const std::vector<std::string>& args, const CommandOptions& options = {}) {
        std::vector<std::string> argv = {victim, "--root", env.root()};
        argv.insert(argv.end(), args.begin(), args.end());
        return run_command(argv, options);
    }

    // Lets attack.sh go on once every hull process has ended, and returns what it saw.
    std::string outcome() {
        hull::write_file(bundle.rootfs() + "/go", "");
        return wait_for_file(bundle.rootfs() + "/result");
    }

    bool victim_intact() {
        return hull::read_file(victim) == hull::read_file(hull::test::hull_binary());
    }
};

void attack_through_init(HullEnv& env, const CommandOptions& options) {
    ExeAttack attack(env, {"/victim"});
    env.track("x1");
    REQUIRE(attack.hull({"create", "--bundle", attack.bundle.path(), "x1"}, options).status == 0);
    REQUIRE(attack.hull({"start", "x1"}).status == 0);
    const std::string result = attack.outcome();
    INFO("the container's hull reference was " << read_text(attack.bundle.rootfs() + "/reference"));
    CHECK_THAT(result, Catch::StartsWith("refused: "));
    CHECK(attack.victim_intact());
    CHECK(attack.hull({"delete", "--force", "x1"}).status == 0);
}
#endif

}  // namespace

#ifdef HULL_TEST_FAKE_LOADER
TEST_CASE("CVE-2019-5736: the container cannot overwrite hull through /proc/self/exe") {
    HullEnv env;
    SECTION("hull run as the container's process (read-only bind mount of hull)") {
        attack_through_init(env, {});
    }
    SECTION("hull run as the container's process (sealed memfd copy of hull)") {
        CommandOptions memfd;
        memfd.env["HULL_EXE_PROTECTION"] = "memfd";
        attack_through_init(env, memfd);
    }
    SECTION("hull run as a process that `hull exec` starts") {
        ExeAttack attack(env, {"sleep", "300"});
        env.track("x2");
        REQUIRE(attack.hull({"run", "--detach", "--bundle", attack.bundle.path(), "x2"}).status ==
                0);
        REQUIRE(attack.hull({"exec", "--detach", "x2", "/victim"}).status == 0);
        const std::string result = attack.outcome();
        CHECK_THAT(result, Catch::StartsWith("refused: "));
        CHECK(attack.victim_intact());
        CHECK(attack.hull({"delete", "--force", "x2"}).status == 0);
    }
    CHECK(env.leaks() == "");
}
#endif

// CVE-2024-21626: runc leaked a host directory fd into the container's init, and a cwd of
// /proc/self/fd/N then started the container's process outside its root.
TEST_CASE("CVE-2024-21626: a cwd through a leaked fd is refused, for every fd number") {
    HullEnv env;
    int outside = 0;
    for (int n = 3; n <= 20; ++n) {
        auto bundle = env.bundle("b" + std::to_string(n), {"pwd"});
        bundle.set("/process/cwd", "\"/proc/self/fd/" + std::to_string(n) + "\"");
        const std::string id = "cwd" + std::to_string(n);
        env.track(id);
        // hull itself starts with host fds 5 and 7 open (a careless caller's leak).
        auto r =
            run_command({"sh", "-c",
                         hull::test::hull_binary() + " --root " + env.root() + " run --bundle " +
                             bundle.path() + " " + id + " 5</ 7</sys/fs/cgroup"});
        INFO("fd " << n << ": " << r.out << r.err);
        CHECK(r.status != 0);
        CHECK(r.out == "");
        if (r.err.find("outside of the container's root") != std::string::npos) ++outside;
        CHECK(env.status(id) == "");
    }
    // Some fd numbers were hull's own handles into the host, still open at chdir time.
    CHECK(outside > 0);
    CHECK(env.leaks() == "");
}

TEST_CASE("fds leaked into hull by its caller never reach the container") {
    HullEnv env;
    auto bundle = env.bundle("b", {"sh", "-c", "ls /proc/self/fd | sort -n | tr '\\n' ' '"});
    env.track("fds");
    auto r = run_command({"sh", "-c",
                          hull::test::hull_binary() + " --root " + env.root() + " run --bundle " +
                              bundle.path() + " fds 5</ 7</sys/fs/cgroup 9</etc"});
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK(r.out == "0 1 2 3 ");  // 3 is ls's own handle on /proc/self/fd
    CHECK(env.leaks() == "");
}

// CVE-2025-31133 and CVE-2025-52565: with /dev taken from the image, an image can make
// /dev/null or /dev/console a symlink to a host-wide procfs file, so that masking (which binds
// /dev/null) or the console bind lands on that file instead.
TEST_CASE("/dev/null and /dev/console symlinked out of /dev are replaced, not followed") {
    HullEnv env;
    auto bundle = env.bundle("b", {"sh", "-c",
                                   "grep -cE 'core_pattern|sysrq' /proc/self/mountinfo; "
                                   "stat -c '%F %t:%T' /dev/null; cat /etc/group | wc -c"});
    bundle.set("/root/readonly", "false");
    auto& mounts = bundle.config()["mounts"];
    for (auto it = mounts.Begin(); it != mounts.End(); ++it)
        if (std::string((*it)["destination"].GetString()) == "/dev") {
            mounts.Erase(it);
            break;
        }
    bundle.set("/process/terminal", "true");
    bundle.set("/linux/maskedPaths/-", "\"/etc/group\"");
    const std::string dev = bundle.rootfs() + "/dev";
    ::unlink((dev + "/null").c_str());
    REQUIRE(::symlink("/proc/sys/kernel/core_pattern", (dev + "/null").c_str()) == 0);
    REQUIRE(::symlink("/proc/sysrq-trigger", (dev + "/console").c_str()) == 0);
    const std::string core_pattern = read_text("/proc/sys/kernel/core_pattern");
    auto r = env.run(bundle, "devs");
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK(r.out == "0\r\ncharacter special file 1:3\r\n0\r\n");
    CHECK(read_text("/proc/sys/kernel/core_pattern") == core_pattern);
    CHECK(env.leaks() == "");
}

// CVE-2021-30465: a directory on the way to a mount destination swapped for a symlink to the
// host between the runtime's check and its mount. A thread keeps swapping while containers
// are created; whatever the timing, nothing may appear in the host directory.
TEST_CASE("CVE-2021-30465: a mount destination swapped for a symlink mid-setup stays inside") {
    HullEnv env;
    hull::test::TempDir host("hull-host");
    auto bundle = env.bundle("b", {"true"});
    const std::string real = bundle.rootfs() + "/mnt/volume";
    const std::string decoy = bundle.rootfs() + "/mnt/decoy";
    ::mkdir((bundle.rootfs() + "/mnt").c_str(), 0755);
    REQUIRE(::mkdir(real.c_str(), 0755) == 0);
    REQUIRE(::mkdir((real + "/data").c_str(), 0755) == 0);
    REQUIRE(::symlink(host.path().c_str(), decoy.c_str()) == 0);
    bundle.set("/mounts/-",
               R"({"destination":"/mnt/volume/data","type":"tmpfs","source":"tmpfs"})");

    std::atomic<bool> stop{false};
    std::thread swapper([&] {
        while (!stop)
            ::renameat2(AT_FDCWD, real.c_str(), AT_FDCWD, decoy.c_str(), RENAME_EXCHANGE);
    });
    int created = 0;
    for (int i = 0; i < 40; ++i) {
        const std::string id = "race" + std::to_string(i);
        env.track(id);
        if (env.hull({"run", "--bundle", bundle.path(), id}).status == 0) ++created;
        env.hull({"delete", "--force", id});
    }
    stop = true;
    swapper.join();
    INFO(created << " of 40 containers were created");
    CHECK(::access((host / "data").c_str(), F_OK) != 0);
    CHECK(hull::test::run_command({"ls", "-A", host.path()}).out == "");
    CHECK(env.leaks() == "");
}

// CVE-2019-16884 and CVE-2025-52881: the config (an image's volumes) mounts over /proc or
// over a file in it, so that a write the runtime makes there lands somewhere else.
TEST_CASE("sysctl writes cannot be redirected by mounts over the container's /proc") {
    HullEnv env;
    hull::test::TempDir host("hull-host");
    hull::write_file(host / "ip_forward", "host file\n");
    auto bundle = env.bundle("b", {"cat", "/proc/sys/net/ipv4/ip_forward"});
    bundle.set("/linux/sysctl", R"({"net.ipv4.ip_forward":"1"})");
    SECTION("a file in /proc mounted over") {
        bundle.set("/mounts/-", R"({"destination":"/proc/sys/net/ipv4/ip_forward","type":"bind",
            "source":")" + (host / "ip_forward") +
                                    R"(","options":["bind"]})");
        auto r = env.run(bundle, "overfile");
        INFO(r.err);
        CHECK(r.status == 0);
        CHECK(r.out == "host file\n");  // what the container sees is the bind, untouched
    }
    SECTION("/proc itself mounted over by a directory made to look like it") {
        REQUIRE(::mkdir((host / "sys").c_str(), 0755) == 0);
        hull::test::run_command({"mkdir", "-p", host / "sys/net/ipv4"});
        hull::write_file(host / "sys/net/ipv4/ip_forward", "host file\n");
        bundle.set("/mounts/-", R"({"destination":"/proc","type":"bind",
            "source":")" + host.path() +
                                    R"(","options":["rbind"]})");
        auto r = env.run(bundle, "overproc");
        INFO(r.err);
        CHECK(r.status == 0);
        CHECK(r.out == "host file\n");
        CHECK(read_text(host / "sys/net/ipv4/ip_forward") == "host file\n");
    }
    CHECK(read_text(host / "ip_forward") == "host file\n");
    CHECK(env.leaks() == "");
}
