// Syscalls newer than a profile get ENOSYS when the default action refuses (compile only;
// tests/integration/runtime/seccomp_enosys_test.cpp loads such filters).
#include <linux/filter.h>
#include <sys/mman.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <cstdlib>
#include <string>

#include "base/unique_fd.hpp"
#include "runtime/security/seccomp.hpp"
#include "unit/security/seccomp_export.hpp"

namespace sec = hull::security;
using hull::spec::Seccomp;
using hull::spec::SeccompSyscall;
using hull::test::exported;

namespace {

Seccomp profile(const std::string& default_action, std::vector<std::string> allowed) {
    Seccomp s;
    s.default_action = default_action;
    SeccompSyscall r;
    r.names = std::move(allowed);
    r.action = "SCMP_ACT_ALLOW";
    s.syscalls.push_back(r);
    return s;
}

// Whether the first rule for nr (in pseudo filter code) answers ENOSYS.
bool enosys_for(const std::string& pfc, int nr) {
    auto at = pfc.find("if ($syscall == " + std::to_string(nr) + ")");
    if (at == std::string::npos) return false;
    std::string expected = "action ERRNO(" + std::to_string(ENOSYS) + ");";
    return pfc.compare(pfc.find("action ", at), expected.size(), expected) == 0;
}

}  // namespace

TEST_CASE("seccomp ENOSYS: only numbers above the highest the profile names",
          "[security][seccomp]") {
    int getcwd = seccomp_syscall_resolve_name("getcwd");
    int below = seccomp_syscall_resolve_name("read");
    REQUIRE(below < getcwd);
    std::string text =
        exported(sec::compile_seccomp(profile("SCMP_ACT_ERRNO", {"read", "getcwd"})), false);
    CHECK(enosys_for(text, getcwd + 1));
    CHECK(enosys_for(text, 1023));
    CHECK_FALSE(enosys_for(text, getcwd));
    CHECK_FALSE(enosys_for(text, getcwd - 1));
    // Also for a kill default; never for one that lets syscalls through.
    text = exported(sec::compile_seccomp(profile("SCMP_ACT_KILL_PROCESS", {"getcwd"})), false);
    CHECK(enosys_for(text, getcwd + 1));
    for (const char* through : {"SCMP_ACT_ALLOW", "SCMP_ACT_LOG"}) {
        Seccomp s = profile(through, {});
        SeccompSyscall r;
        r.names = {"getcwd"};
        r.action = "SCMP_ACT_ERRNO";
        s.syscalls = {r};
        text = exported(sec::compile_seccomp(s), false);
        CHECK(text.find("ERRNO(" + std::to_string(ENOSYS) + ")") == std::string::npos);
    }
}

TEST_CASE("seccomp ENOSYS: a full profile on three architectures still fits in one program",
          "[security][seccomp]") {
    // Every syscall libseccomp names on this architecture, as a Docker-like profile would.
    std::vector<std::string> names;
    for (int nr = 0; nr < 1024; ++nr)
        if (char* name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr)) {
            names.emplace_back(name);
            std::free(name);
        }
    Seccomp s = profile("SCMP_ACT_ERRNO", names);
    s.architectures = {"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"};
    std::string bpf = exported(sec::compile_seccomp(s), true);
    CHECK(bpf.size() / sizeof(sock_filter) <= BPF_MAXINSNS);
    // And an old one, whose highest syscall is far below today's.
    names.resize(names.size() / 2);
    s = profile("SCMP_ACT_ERRNO", names);
    s.architectures = {"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"};
    bpf = exported(sec::compile_seccomp(s), true);
    INFO(bpf.size() / sizeof(sock_filter) << " instructions");
    CHECK(bpf.size() / sizeof(sock_filter) <= BPF_MAXINSNS);
}
