#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <set>

#include "base/error.hpp"
#include "base/unique_fd.hpp"
#include "hook_fixtures.hpp"
#include "hooks/run_hooks.hpp"

using hooks_test::make_hook;
using hooks_test::TempDir;
using hull::hooks::run_hook;

namespace {

class ScopedEnv {
  public:
    ScopedEnv(const char* name, const char* value) : name_(name) { ::setenv(name, value, 1); }
    ~ScopedEnv() { ::unsetenv(name_); }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

  private:
    const char* name_;
};

// Blocks SIGUSR1 and ignores SIGTERM in the test thread, restoring both at scope exit.
class ScopedOddSignals {
  public:
    ScopedOddSignals() {
        sigset_t usr1;
        sigemptyset(&usr1);
        sigaddset(&usr1, SIGUSR1);
        ::pthread_sigmask(SIG_BLOCK, &usr1, &old_mask_);
        struct sigaction ign {};
        ign.sa_handler = SIG_IGN;
        ::sigaction(SIGTERM, &ign, &old_term_);
    }
    ~ScopedOddSignals() {
        ::sigaction(SIGTERM, &old_term_, nullptr);
        ::pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
    }
    ScopedOddSignals(const ScopedOddSignals&) = delete;
    ScopedOddSignals& operator=(const ScopedOddSignals&) = delete;

  private:
    sigset_t old_mask_;
    struct sigaction old_term_ {};
};

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

bool sigpipe_pending() {
    sigset_t pending;
    sigemptyset(&pending);
    ::sigpending(&pending);
    return sigismember(&pending, SIGPIPE) == 1;
}

}  // namespace

TEST_CASE("hook gets exactly its args, argv zero as given", "[hooks][run_hook]") {
    const std::string script = "tr '\\0' '\\n' < /proc/$$/cmdline; exit 0";
    auto hook = make_hook("/bin/sh", {"not-sh", "-c", script, "arg with space", ""});
    auto r = run_hook(hook, "{}");
    CHECK(r.exit_status == 0);
    CHECK(r.out == "not-sh\n-c\n" + script + "\narg with space\n\n");
}

TEST_CASE("hook without args gets argv zero = path", "[hooks][run_hook]") {
    TempDir dir;
    // busybox picks its applet by argv[0]: "<dir>/sh" runs its shell, which reads stdin.
    std::string path = dir.file("sh");
    REQUIRE(::symlink("/bin/busybox", path.c_str()) == 0);
    auto r = run_hook(make_hook(path, {}, {"PATH=/usr/bin:/bin"}),
                      "tr '\\0' '\\n' < /proc/$$/cmdline; exit 0\n");
    CHECK(r.exit_status == 0);
    CHECK(r.out == path + "\n");
}

TEST_CASE("hook gets exactly its env, nothing inherited", "[hooks][run_hook]") {
    TempDir dir;
    ScopedEnv leak("HULL_HOOKS_TEST_MUST_NOT_LEAK", "1");
    auto path = dir.script("env", "tr '\\0' '\\n' < /proc/$$/environ; exit 0\n");

    SECTION("given env") {
        auto r = run_hook(make_hook(path, {}, {"A=1", "B=two words", "PATH=/usr/bin:/bin"}), "");
        CHECK(r.exit_status == 0);
        CHECK(r.out == "A=1\nB=two words\nPATH=/usr/bin:/bin\n");
    }
    SECTION("empty env is an empty environment") {
        auto r = run_hook(make_hook(path), "");
        CHECK(r.exit_status == 0);
        CHECK(r.out == "");
    }
}

TEST_CASE("hook reads the exact state on stdin", "[hooks][run_hook]") {
    TempDir dir;
    auto path = dir.script("cat", "exec cat\n");
    std::string state = R"({"ociVersion":"1.3.0","id":"a\nb","status":"created","pid":42})";
    state += std::string("\0\xff tail", 7);
    auto r = run_hook(make_hook(path), state);
    CHECK(r.exit_status == 0);
    CHECK(r.out == state);
}

TEST_CASE("large state is fully delivered, or dropped by hooks that do not read it",
          "[hooks][run_hook]") {
    TempDir dir;
    const std::string state(1024 * 1024, 'x');

    SECTION("hook reads it all") {
        auto r = run_hook(make_hook(dir.script("wc", "wc -c\n")), state);
        CHECK(r.exit_status == 0);
        CHECK(r.out.find("1048576") != std::string::npos);
    }
    SECTION("hook exits without reading") {
        auto r = run_hook(make_hook(dir.script("quit", "exit 0\n")), state);
        CHECK(r.exit_status == 0);
        CHECK_FALSE(sigpipe_pending());
    }
    SECTION("hook closes stdin and keeps running") {
        auto r = run_hook(make_hook(dir.script("close", "exec 0<&-\nsleep 1\necho done\n")), state);
        CHECK(r.exit_status == 0);
        CHECK(r.out == "done\n");
        CHECK_FALSE(sigpipe_pending());
    }
}

TEST_CASE("stdout and stderr are captured separately", "[hooks][run_hook]") {
    TempDir dir;
    auto r = run_hook(make_hook(dir.script("io", "printf out\nprintf err >&2\nexit 3\n")), "");
    CHECK(r.exit_status == 3);
    CHECK(r.term_signal == 0);
    CHECK_FALSE(r.timed_out);
    CHECK(r.out == "out");
    CHECK(r.err == "err");
}

TEST_CASE("captured output keeps only the tail", "[hooks][run_hook]") {
    TempDir dir;
    auto r = run_hook(
        make_hook(dir.script("flood", "head -c 300000 /dev/zero | tr '\\0' a\nprintf END\n")), "");
    CHECK(r.exit_status == 0);
    REQUIRE(r.out.size() == hull::hooks::kOutputCap);
    CHECK(r.out.substr(r.out.size() - 3) == "END");
    CHECK(r.out[0] == 'a');
}

TEST_CASE("a hook's own exit 127 is an exit status, not an exec failure", "[hooks][run_hook]") {
    TempDir dir;
    auto r = run_hook(make_hook(dir.script("e127", "exit 127\n")), "");
    CHECK(r.exit_status == 127);
    CHECK(r.term_signal == 0);
}

TEST_CASE("exec failures are reported precisely", "[hooks][run_hook]") {
    TempDir dir;
    SECTION("missing path") {
        std::string path = dir.file("does-not-exist");
        try {
            run_hook(make_hook(path), "{}");
            FAIL("no exception");
        } catch (const hull::Error& e) {
            CHECK(std::string(e.what()) ==
                  "hook " + path + " failed: exec failed: No such file or directory");
            CHECK(e.code() == ENOENT);
        }
    }
    SECTION("not executable") {
        std::string path = dir.script("noexec", "exit 0\n", 0644);
        try {
            run_hook(make_hook(path), "{}");
            FAIL("no exception");
        } catch (const hull::Error& e) {
            CHECK(std::string(e.what()) ==
                  "hook " + path + " failed: exec failed: Permission denied");
            CHECK(e.code() == EACCES);
        }
    }
}

TEST_CASE("a hook killed by a signal reports the signal", "[hooks][run_hook]") {
    TempDir dir;
    auto r =
        run_hook(make_hook(dir.script("term", "echo dying >&2\nkill -TERM $$\nsleep 5\n")), "");
    CHECK(r.term_signal == SIGTERM);
    CHECK(r.exit_status == -1);
    CHECK_FALSE(r.timed_out);
    CHECK(r.err == "dying\n");
}

TEST_CASE("timeout kills the hook's whole process group", "[hooks][run_hook]") {
    TempDir dir;
    std::string leader = dir.file("leader.pid");
    std::string background = dir.file("background.pid");
    hooks_test::GroupReaper reap_group(leader);
    hooks_test::ProcessReaper reap_background(background);
    auto path = dir.script("slow",
                           "echo $$ > \"$1\"\nsleep 300 &\necho $! > \"$2\"\n"
                           "echo started >&2\nsleep 30\n");

    auto start = std::chrono::steady_clock::now();
    auto r = run_hook(make_hook(path, {"slow", leader, background}, {}, 1), "{}");
    CHECK(seconds_since(start) < 20.0);  // sanity only: far below the hook's 30 s sleep
    CHECK(r.timed_out);
    CHECK(r.term_signal == SIGKILL);
    CHECK(r.err == "started\n");

    pid_t bg = hooks_test::GroupReaper::pid_from_file(background);
    REQUIRE(bg > 1);
    CHECK(hooks_test::process_gone_soon(bg));
}

TEST_CASE("a background child holding stdout does not keep us waiting", "[hooks][run_hook]") {
    TempDir dir;
    std::string background = dir.file("background.pid");
    hooks_test::ProcessReaper reap_background(background);
    auto path = dir.script("daemon", "sleep 300 &\necho $! > \"$1\"\necho main\nexit 0\n");

    auto start = std::chrono::steady_clock::now();
    auto r = run_hook(make_hook(path, {"daemon", background}), "{}");
    CHECK(seconds_since(start) < 60.0);  // sanity only: far below the child's 300 s
    CHECK(r.exit_status == 0);
    CHECK_FALSE(r.timed_out);
    CHECK(r.out == "main\n");
    // Documented choice: without a timeout, what the hook left running is not killed.
    pid_t bg = hooks_test::GroupReaper::pid_from_file(background);
    REQUIRE(bg > 1);
    CHECK_FALSE(hooks_test::process_gone(bg));
}

TEST_CASE("no fd of the caller leaks into the hook", "[hooks][run_hook]") {
    TempDir dir;
    hull::unique_fd devnull(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    REQUIRE(devnull.valid());
    // Deliberately without FD_CLOEXEC: close_range in the child must close it anyway.
    hull::unique_fd leaky(::fcntl(devnull.get(), F_DUPFD, 50));
    REQUIRE(leaky.valid());
    REQUIRE((::fcntl(leaky.get(), F_GETFD) & FD_CLOEXEC) == 0);

    auto r = run_hook(
        make_hook(dir.script("fds", "ls /proc/self/fd\nexit 0\n"), {}, {"PATH=/usr/bin:/bin"}),
        "{}");
    REQUIRE(r.exit_status == 0);
    std::set<std::string> fds;
    for (const auto& line : hooks_test::lines(r.out))
        fds.insert(line);
    CHECK(fds.count("0") == 1);
    CHECK(fds.count("1") == 1);
    CHECK(fds.count("2") == 1);
    CHECK(fds.count(std::to_string(leaky.get())) == 0);
    // 0-2, plus the directory ls itself opened.
    for (const auto& fd : fds)
        CHECK((fd == "0" || fd == "1" || fd == "2" || fd == "3"));
}

TEST_CASE("hook starts with default signal mask and dispositions", "[hooks][run_hook]") {
    TempDir dir;
    ScopedOddSignals odd;
    auto r = run_hook(
        make_hook(dir.script("sig", "grep -E '^Sig(Blk|Ign)' /proc/self/status\nexit 0\n")), "");
    CHECK(r.exit_status == 0);
    CHECK(r.out == "SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n");
}

TEST_CASE("hook leads its own process group", "[hooks][run_hook]") {
    TempDir dir;
    auto r =
        run_hook(make_hook(dir.script("pg", "cut -d' ' -f5 /proc/$$/stat\necho $$\nexit 0\n")), "");
    REQUIRE(r.exit_status == 0);
    auto out = hooks_test::lines(r.out);
    REQUIRE(out.size() == 2);
    CHECK(out[0] == out[1]);
    CHECK(out[0] != std::to_string(::getpgrp()));
}

TEST_CASE("running a hook reaps only the hook, never other children", "[hooks][run_hook]") {
    TempDir dir;
    pid_t other = ::fork();
    REQUIRE(other >= 0);
    if (other == 0) ::_exit(7);
    // Wait until it is a zombie, without reaping it: a waitpid(-1) would now take it.
    siginfo_t info{};
    REQUIRE(::waitid(P_PID, static_cast<id_t>(other), &info, WEXITED | WNOWAIT) == 0);

    auto r = run_hook(make_hook(dir.script("ok", "exit 0\n")), "{}");
    CHECK(r.exit_status == 0);

    int status = 0;
    REQUIRE(::waitpid(other, &status, 0) == other);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 7);
}
