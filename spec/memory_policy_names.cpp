#include "spec/memory_policy_names.hpp"

#include <linux/mempolicy.h>

namespace hull::spec {

namespace {

// Newer than Debian 12's kernel headers.
constexpr int kMpolWeightedInterleave = 6;

constexpr MemoryPolicyName kModes[] = {
    {"MPOL_DEFAULT", MPOL_DEFAULT},       {"MPOL_BIND", MPOL_BIND},
    {"MPOL_INTERLEAVE", MPOL_INTERLEAVE}, {"MPOL_WEIGHTED_INTERLEAVE", kMpolWeightedInterleave},
    {"MPOL_PREFERRED", MPOL_PREFERRED},   {"MPOL_PREFERRED_MANY", MPOL_PREFERRED_MANY},
    {"MPOL_LOCAL", MPOL_LOCAL},
};

constexpr MemoryPolicyName kFlags[] = {
    {"MPOL_F_NUMA_BALANCING", MPOL_F_NUMA_BALANCING},
    {"MPOL_F_RELATIVE_NODES", MPOL_F_RELATIVE_NODES},
    {"MPOL_F_STATIC_NODES", MPOL_F_STATIC_NODES},
};

}  // namespace

std::span<const MemoryPolicyName> memory_policy_modes() {
    return kModes;
}

std::span<const MemoryPolicyName> memory_policy_flags() {
    return kFlags;
}

}  // namespace hull::spec
