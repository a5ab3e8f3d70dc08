// linux.seccomp -> a libseccomp filter, loaded as the last step before execve.
#pragma once

#include <seccomp.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/unique_fd.hpp"
#include "runtime/security/seccomp_listener.hpp"  // the listener half of the API
#include "spec/config.hpp"

namespace hull::security {

// An owned, compiled (not yet loaded) filter.
class SeccompProgram {
  public:
    SeccompProgram() = default;
    explicit SeccompProgram(scmp_filter_ctx ctx) : ctx_(ctx) {}
    SeccompProgram(const SeccompProgram&) = delete;
    SeccompProgram& operator=(const SeccompProgram&) = delete;
    SeccompProgram(SeccompProgram&& other) noexcept;
    SeccompProgram& operator=(SeccompProgram&& other) noexcept;
    ~SeccompProgram();

    scmp_filter_ctx get() const noexcept { return ctx_; }
    // Gives up ownership (for a filter that seccomp_merge took over).
    scmp_filter_ctx release() noexcept { return std::exchange(ctx_, nullptr); }

    std::vector<std::string> warnings;  // e.g. syscall names unknown on this architecture
    bool uses_notify = false;           // some rule uses SCMP_ACT_NOTIFY

  private:
    scmp_filter_ctx ctx_ = nullptr;
};

// Builds the filter. Errors (hull::Error naming the item): unknown action, operator,
// architecture or flag; errnoRet on an action that takes none or above 65535; arg index above
// 5; SCMP_ACT_NOTIFY as the default action (it would trap the runtime's own syscalls before
// execve); SCMP_ACT_NOTIFY on sendmsg (send_seccomp_listener needs it after the load, and
// nobody could answer yet); flags libseccomp 2.5 cannot set
// (SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV). Not errors: a syscall name unknown on the native
// architecture is skipped with a warning (as runc does: profiles list syscalls of newer kernels),
// and a rule whose action equals the default action is skipped (libseccomp refuses it and it would
// change nothing). Conditions: several args on one rule are ANDed. Several conditions on the SAME
// arg index cannot be expressed in one libseccomp rule (it returns EINVAL); like runc, the rule is
// then split into one rule per condition, i.e. the conditions are ORed. The no_new_privs attribute
// is turned off: noNewPrivileges is applied separately as the spec says, so loading without it
// needs CAP_SYS_ADMIN. When defaultAction refuses (errno, kill, trap), syscall numbers above
// the highest the profile names get ENOSYS instead, per architecture (see seccomp.cpp).
SeccompProgram compile_seccomp(const spec::Seccomp& seccomp);

// Installs the filter in the calling process. With SCMP_ACT_NOTIFY rules, returns the
// listener fd (close-on-exec); otherwise an invalid unique_fd.
unique_fd load_seccomp(SeccompProgram& program);

// Name tables, exposed for tests.
std::uint32_t seccomp_action(const std::string& name,
                             const std::optional<std::uint32_t>& errno_ret);
scmp_compare seccomp_operator(const std::string& name);
std::uint32_t seccomp_arch(const std::string& name);

}  // namespace hull::security
