#include <cerrno>
#include <cstring>
#include <functional>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "conformance/checker/checks.hpp"

namespace hull::conformance {

// Syscalls that are harmless to call when the filter lets them through; a case may only put
// these under SCMP_ACT_ERRNO. Each returns the raw syscall result, errno intact.
static std::function<long()> safe_call(const std::string& name) {
    if (name == "getpid") return [] { return syscall(SYS_getpid); };
    if (name == "getppid") return [] { return syscall(SYS_getppid); };
    if (name == "getuid") return [] { return syscall(SYS_getuid); };
    if (name == "getgid") return [] { return syscall(SYS_getgid); };
    if (name == "gettid") return [] { return syscall(SYS_gettid); };
    if (name == "sched_yield") return [] { return syscall(SYS_sched_yield); };
    if (name == "uname")
        return [] {
            utsname uts{};
            return syscall(SYS_uname, &uts);
        };
    if (name == "getcwd")
        return [] {
            char buf[4096];
            return syscall(SYS_getcwd, buf, sizeof buf);
        };
    if (name == "chdir") return [] { return syscall(SYS_chdir, "."); };
    if (name == "getpriority") return [] { return syscall(SYS_getpriority, PRIO_PROCESS, 0); };
    if (name == "getrandom")
        return [] {
            char byte = 0;
            return syscall(SYS_getrandom, &byte, 1, 0);
        };
    if (name == "unshare") return [] { return syscall(SYS_unshare, 0); };
    if (name == "personality") return [] { return syscall(SYS_personality, 0xffffffffUL); };
    if (name == "socket")
        return [] {
            const long fd = syscall(SYS_socket, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
            if (fd >= 0) close(static_cast<int>(fd));
            return fd;
        };
    return nullptr;
}

// Probes one harmless syscall that no rule names, so the default action decides its fate.
static void check_default_action(Context& ctx, const Json& seccomp, const Json* rules) {
    const Json* action = member(seccomp, "defaultAction");
    if (!action || json_to_string(*action) != "SCMP_ACT_ERRNO") return;
    for (const char* candidate : {"sched_yield", "getrandom", "unshare", "getpriority", "uname"}) {
        bool named = false;
        if (rules && rules->IsArray())
            for (const auto& rule : rules->GetArray())
                if (const Json* names = member(rule, "names"); names && names->IsArray())
                    for (const auto& n : names->GetArray())
                        named |= json_to_string(n) == candidate;
        if (named) continue;
        const Json* ret = member(seccomp, "defaultErrnoRet");
        const int want = ret && ret->IsUint() ? static_cast<int>(ret->GetUint()) : EPERM;
        errno = 0;
        const long result = safe_call(candidate)();
        const int err = errno;
        ctx.tap.expect_eq("/linux/seccomp/defaultAction",
                          std::string(candidate) + " -1 " + errno_name(want),
                          std::string(candidate) + " " + std::to_string(result) + " " +
                              (result < 0 ? errno_name(err) : "success"));
        return;
    }
    ctx.tap.skip("/linux/seccomp/defaultAction", "every probe syscall is named by a rule");
}

void check_seccomp(Context& ctx) {
    const Json* linux_ = member(ctx.config, "linux");
    const Json* seccomp = linux_ ? member(*linux_, "seccomp") : nullptr;
    if (!seccomp) return;
    std::string mode = "absent";
    for (const auto& line : split(read_text("/proc/self/status").value_or(""), '\n'))
        if (line.rfind("Seccomp:", 0) == 0) mode = trim(line.substr(8));
    ctx.tap.expect_eq("/linux/seccomp/mode", "2", mode);
    const Json* rules = member(*seccomp, "syscalls");
    check_default_action(ctx, *seccomp, rules);
    if (!rules || !rules->IsArray()) return;
    for (const auto& rule : rules->GetArray()) {
        const Json* action = member(rule, "action");
        const Json* names = member(rule, "names");
        if (!action || !names || !names->IsArray()) continue;
        const std::string act = json_to_string(*action);
        for (const auto& n : names->GetArray()) {
            const std::string name = json_to_string(n);
            const std::string tap_name = "/linux/seccomp/syscalls/" + name;
            if (member(rule, "args")) {
                ctx.tap.skip(tap_name, "rules with argument conditions are not probed");
                continue;
            }
            const auto call = safe_call(name);
            if (!call) {
                ctx.tap.skip(tap_name, "not a syscall this checker can call safely");
                continue;
            }
            if (act == "SCMP_ACT_ERRNO") {
                const Json* ret = member(rule, "errnoRet");
                const int want = ret && ret->IsUint() ? static_cast<int>(ret->GetUint()) : EPERM;
                errno = 0;
                const long result = call();
                const int err = errno;
                ctx.tap.expect_eq(
                    tap_name, "-1 " + errno_name(want),
                    std::to_string(result) + " " + (result < 0 ? errno_name(err) : "success"));
            } else if (act == "SCMP_ACT_ALLOW" || act == "SCMP_ACT_LOG") {
                errno = 0;
                const long result = call();
                ctx.tap.expect(tap_name, result >= 0 || errno != EPERM,
                               "allowed syscall failed with EPERM");
            } else {
                ctx.tap.skip(tap_name, "action " + act + " is not probed");
            }
        }
    }
}

}  // namespace hull::conformance
