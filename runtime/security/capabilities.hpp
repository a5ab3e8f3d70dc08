// Capability names and the pure computation of which capability sets a process ends up with.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "spec/config.hpp"

namespace hull::security {

using CapMask = std::uint64_t;  // bit n = capability n (Linux has 41 as of 6.x)

// The capability number for "CAP_CHOWN" etc., or nullopt when the name is unknown to hull.
std::optional<int> capability_number(const std::string& name);
// "CAP_CHOWN" for 0, or "CAP_<n>" for numbers hull does not know.
std::string capability_name(int number);

// What the process has now, as read from the kernel.
struct CapState {
    CapMask bounding = 0;
    CapMask permitted = 0;
    int last_cap = 40;  // /proc/sys/kernel/cap_last_cap
};

// The exact sets to install, and what could not be granted.
struct CapPlan {
    CapMask bounding = 0;
    CapMask effective = 0;
    CapMask permitted = 0;
    CapMask inheritable = 0;
    CapMask ambient = 0;
    std::vector<std::string> warnings;
    // Drops that runc and crun make without a word and that common configs trigger (runc's
    // older default config lists ambient capabilities that are not inheritable): for --debug,
    // so that a warning on every run and exec does not mix into a container's output.
    std::vector<std::string> notes;
};

// Semantics (config.md: each array lists the capabilities "kept for the process"):
//  - an absent set inside a present capabilities object keeps nothing, like an empty array
//    (this is also what runc and crun do, so configs written for them behave the same);
//  - a capability that cannot be granted is dropped with a warning, never an error (the spec
//    says runtimes SHOULD NOT fail): unknown names, numbers above the kernel's cap_last_cap,
//    capabilities missing from our own bounding/permitted sets, and the kernel's subset rules
//    (effective <= permitted, inheritable <= new bounding | permitted, ambient <= permitted &
//    inheritable).
CapPlan plan_capabilities(const spec::Capabilities& caps, const CapState& current);

// Reads bounding (prctl), permitted (capget) and cap_last_cap of the calling process.
CapState read_cap_state();

}  // namespace hull::security
