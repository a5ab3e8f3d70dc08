#include <linux/mempolicy.h>
#include <unistd.h>

#include <climits>
#include <utility>

#include "base/error.hpp"
#include "base/syscalls.hpp"
#include "runtime/security/id_list.hpp"
#include "runtime/security/process_attrs.hpp"

namespace hull::security {

namespace {

// Newer than Debian 12's kernel headers.
constexpr int kMpolWeightedInterleave = 6;

const std::pair<const char*, int> kModes[] = {
    {"MPOL_DEFAULT", MPOL_DEFAULT},
    {"MPOL_PREFERRED", MPOL_PREFERRED},
    {"MPOL_BIND", MPOL_BIND},
    {"MPOL_INTERLEAVE", MPOL_INTERLEAVE},
    {"MPOL_LOCAL", MPOL_LOCAL},
    {"MPOL_PREFERRED_MANY", MPOL_PREFERRED_MANY},
    {"MPOL_WEIGHTED_INTERLEAVE", kMpolWeightedInterleave},
};

const std::pair<const char*, int> kFlags[] = {
    {"MPOL_F_STATIC_NODES", MPOL_F_STATIC_NODES},
    {"MPOL_F_RELATIVE_NODES", MPOL_F_RELATIVE_NODES},
    {"MPOL_F_NUMA_BALANCING", MPOL_F_NUMA_BALANCING},
};

}  // namespace

int memory_policy_mode(const spec::MemoryPolicy& policy) {
    int mode = -1;
    for (const auto& [known, value] : kModes) {
        if (policy.mode == known) mode = value;
    }
    if (mode < 0) throw Error("memoryPolicy mode \"" + policy.mode + "\": unknown");
    for (const auto& flag : policy.flags) {
        bool found = false;
        for (const auto& [known, value] : kFlags) {
            if (flag == known) {
                mode |= value;
                found = true;
            }
        }
        if (!found) throw Error("memoryPolicy flag \"" + flag + "\": unknown");
    }
    return mode;
}

void apply_memory_policy(const spec::MemoryPolicy& policy) {
    int mode = memory_policy_mode(policy);
    std::vector<unsigned long> mask;
    unsigned long maxnode = 0;
    if (!policy.nodes.empty()) {
        constexpr unsigned kBits = sizeof(unsigned long) * CHAR_BIT;
        std::vector<unsigned> nodes = parse_id_list(policy.nodes, "memoryPolicy nodes");
        mask.assign(nodes.back() / kBits + 1, 0);
        for (unsigned node : nodes)
            mask[node / kBits] |= 1UL << (node % kBits);
        // The kernel reads maxnode - 1 bits (a historical off-by-one in get_nodes()).
        maxnode = mask.size() * kBits + 1;
    }
    if (sys::set_mempolicy(mode, mask.empty() ? nullptr : mask.data(), maxnode) < 0) {
        throw_errno("set_mempolicy " + policy.mode +
                    (policy.nodes.empty() ? "" : " nodes " + policy.nodes));
    }
}

}  // namespace hull::security
