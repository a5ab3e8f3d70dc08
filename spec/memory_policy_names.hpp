// The linux.memoryPolicy mode and flag names hull knows (set_mempolicy(2)) with their values,
// shared by the runtime's set_mempolicy and features.json.
#pragma once

#include <span>
#include <string_view>

namespace hull::spec {

struct MemoryPolicyName {
    std::string_view name;  // "MPOL_BIND", "MPOL_F_STATIC_NODES"
    int value;              // MPOL_BIND, MPOL_F_STATIC_NODES
};

std::span<const MemoryPolicyName> memory_policy_modes();
std::span<const MemoryPolicyName> memory_policy_flags();

}  // namespace hull::spec
