// Syscalls newer than a seccomp profile get ENOSYS, not the profile's defaultAction errno, so
// that libc falls back (clone3 -> clone); syscalls the profile knows keep what it says.
// A static probe in a busybox rootfs makes the syscalls and prints each errno.
#include <sys/syscall.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <filesystem>
#include <string>

#include "support/hull_env.hpp"

using hull::test::HullEnv;

namespace {

// What the probe and hull need after the filter is loaded (noNewPrivileges: just before
// execve), all older than pidfd_open on every architecture.
const char* const kAllowed =
    R"("execve","brk","mmap","munmap","mprotect","arch_prctl","set_tid_address",)"
    R"("set_robust_list","rseq","prlimit64","readlink","readlinkat","getrandom","uname",)"
    R"("write","writev","read","close","fstat","newfstatat","ioctl","futex","rt_sigaction",)"
    R"("rt_sigprocmask","sigaltstack","exit","exit_group","getpid","gettid","tgkill")";

std::string line(long nr, int err) {
    return std::to_string(nr) + " " + std::to_string(err) + "\n";
}

// Runs the probe on clone3, getppid and pidfd_open under a profile whose default is EPERM,
// which allows kAllowed and adds `extra_rules`.
std::string probe(HullEnv& env, const std::string& extra_rules) {
    auto bundle = env.bundle("b", {"/probe", std::to_string(SYS_clone3),
                                   std::to_string(SYS_getppid), std::to_string(SYS_pidfd_open)});
    std::filesystem::copy_file(HULL_TEST_SYSCALL_PROBE, bundle.rootfs() + "/probe");
    bundle.set("/process/noNewPrivileges", "true");
    bundle.set("/linux/seccomp",
               R"({"defaultAction":"SCMP_ACT_ERRNO",)"
               R"("architectures":["SCMP_ARCH_X86_64","SCMP_ARCH_X86","SCMP_ARCH_X32"],)"
               R"("syscalls":[{"names":[)" +
                   std::string(kAllowed) + R"(],"action":"SCMP_ACT_ALLOW"})" + extra_rules + "]}");
    auto r = env.run(bundle, "c1");
    INFO(r.err);
    CHECK(r.status == 0);
    return r.out;
}

}  // namespace

TEST_CASE("seccomp: a syscall above the profile's highest gets ENOSYS, one below the default") {
    HullEnv env;
    // pidfd_open is the highest syscall the profile names: clone3, just above, is newer than
    // the profile; getppid, far below, is one it refuses by default.
    auto out = probe(env, R"(,{"names":["pidfd_open"],"action":"SCMP_ACT_ERRNO","errnoRet":13})");
    CHECK(out ==
          line(SYS_clone3, ENOSYS) + line(SYS_getppid, EPERM) + line(SYS_pidfd_open, EACCES));
    CHECK(env.leaks() == "");
}

TEST_CASE("seccomp: a syscall the profile names keeps its action, even the default one") {
    HullEnv env;
    // Naming clone3, with the default action itself, makes it known: EPERM, not ENOSYS.
    auto out = probe(env, R"(,{"names":["clone3"],"action":"SCMP_ACT_ERRNO"})");
    CHECK(out == line(SYS_clone3, EPERM) + line(SYS_getppid, EPERM) + line(SYS_pidfd_open, EPERM));
    CHECK(env.leaks() == "");
}
