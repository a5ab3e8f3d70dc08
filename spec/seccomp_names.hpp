// The linux.seccomp names hull knows (actions, operators, architectures, flags) with their
// libseccomp values. security/seccomp builds filters from them and features.json reports them,
// so what hull claims and what it executes cannot differ.
#pragma once

#include <seccomp.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace hull::spec {

struct SeccompActionName {
    std::string_view name;  // "SCMP_ACT_ERRNO"
    std::uint32_t action;   // SCMP_ACT_ERRNO(0): the errno, if it takes one, is or-ed in
    bool takes_errno;       // errnoRet applies (SCMP_ACT_ERRNO, SCMP_ACT_TRACE)
};

struct SeccompOperatorName {
    std::string_view name;  // "SCMP_CMP_EQ"
    scmp_compare op;
};

struct SeccompArchName {
    std::string_view name;  // "SCMP_ARCH_X86_64"
    std::uint32_t token;    // SCMP_ARCH_X86_64
};

struct SeccompFlagName {
    std::string_view name;  // "SECCOMP_FILTER_FLAG_LOG"
    // The libseccomp attribute that sets it; nullopt where the linked libseccomp cannot.
    std::optional<scmp_filter_attr> attr;
};

std::span<const SeccompActionName> seccomp_actions();
std::span<const SeccompOperatorName> seccomp_operators();
// The architectures the linked libseccomp (2.5) resolves.
std::span<const SeccompArchName> seccomp_archs();
// In the spec's list, but newer than the linked libseccomp.
std::span<const std::string_view> seccomp_archs_too_new();
// The spec's SECCOMP_FILTER_FLAG_* names; those with an attr are supported.
std::span<const SeccompFlagName> seccomp_flags();

const SeccompActionName* find_seccomp_action(std::string_view name);

}  // namespace hull::spec
