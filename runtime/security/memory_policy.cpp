#include <unistd.h>

#include <climits>

#include "base/error.hpp"
#include "base/syscalls.hpp"
#include "runtime/security/id_list.hpp"
#include "runtime/security/process_attrs.hpp"
#include "spec/memory_policy_names.hpp"

namespace hull::security {

int memory_policy_mode(const spec::MemoryPolicy& policy) {
    int mode = -1;
    for (const auto& [known, value] : spec::memory_policy_modes()) {
        if (policy.mode == known) mode = value;
    }
    if (mode < 0) throw Error("memoryPolicy mode \"" + policy.mode + "\": unknown");
    for (const auto& flag : policy.flags) {
        bool found = false;
        for (const auto& [known, value] : spec::memory_policy_flags()) {
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
