// The mount options hull applies itself (not passed on to the filesystem as data), by name,
// with what each means to the kernel. bundle/mount_options applies them; features.json
// reports their names, so the two cannot differ.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hull::spec {

// A mount(2) MS_* flag: set, or (clear) explicitly turned off.
struct MountFlagOption {
    std::string_view name;
    bool clear;  // the option turns the flag off
    unsigned long flag;
};

// A propagation change (MS_PRIVATE, MS_SLAVE | MS_REC, ...).
struct MountPropagationOption {
    std::string_view name;
    unsigned long flags;
};

// A recursive per-mount attribute change for mount_setattr(AT_RECURSIVE).
struct MountRecursiveOption {
    std::string_view name;
    std::uint64_t set;
    std::uint64_t clear;
};

// mount(8) filesystem-independent options.
std::span<const MountFlagOption> mount_flag_options();
std::span<const MountPropagationOption> mount_propagation_options();
// mount_setattr(2): an atime mode is chosen by clearing MOUNT_ATTR__ATIME and setting the mode.
std::span<const MountRecursiveOption> mount_recursive_options();
// Every name above, and bind, rbind, idmap, ridmap and tmpcopyup (which bundle's
// parse_mount_options handles by name): the options a mount may list that hull applies itself
// ("defaults", which means nothing, is not among them).
std::vector<std::string> mount_option_names();

}  // namespace hull::spec
