#include "bundle/mount_options.hpp"

#include <sys/mount.h>

#include <algorithm>
#include <string_view>

#include "base/error.hpp"
#include "base/syscalls.hpp"
#include "spec/mount_option_table.hpp"

namespace hull::bundle {
namespace {

constexpr unsigned long kAtimeFlags = MS_NOATIME | MS_RELATIME | MS_STRICTATIME;

bool apply_flag_option(std::string_view name, MountOptions& out) {
    for (const auto& option : spec::mount_flag_options()) {
        if (option.name != name) continue;
        if (option.clear) {
            out.flags &= ~option.flag;
            out.clear_flags |= option.flag;
        } else {
            // The atime modes exclude each other; the last one given wins.
            if (option.flag & kAtimeFlags) out.flags &= ~kAtimeFlags;
            out.flags |= option.flag;
            out.clear_flags &= ~option.flag;
        }
        return true;
    }
    return false;
}

bool apply_recursive_option(std::string_view name, MountOptions& out) {
    for (const auto& option : spec::mount_recursive_options()) {
        if (option.name != name) continue;
        if (option.clear & MOUNT_ATTR__ATIME) out.recursive_attr_set &= ~MOUNT_ATTR__ATIME;
        out.recursive_attr_set = (out.recursive_attr_set & ~option.clear) | option.set;
        out.recursive_attr_clear = (out.recursive_attr_clear & ~option.set) | option.clear;
        return true;
    }
    return false;
}

bool apply_propagation_option(std::string_view name, MountOptions& out) {
    for (const auto& option : spec::mount_propagation_options()) {
        if (option.name != name) continue;
        out.propagation.push_back(option.flags);
        return true;
    }
    return false;
}

}  // namespace

void check_mount_options(const spec::Config& config) {
    auto known = spec::mount_option_names();
    for (size_t i = 0; i < config.mounts.size(); ++i) {
        const spec::Mount& mount = config.mounts[i];
        const auto& options = mount.options;
        bool bind = mount.type == "bind" ||
                    std::find(options.begin(), options.end(), "bind") != options.end() ||
                    std::find(options.begin(), options.end(), "rbind") != options.end();
        if (!bind) continue;
        for (size_t j = 0; j < options.size(); ++j) {
            if (options[j] == "defaults" ||
                std::find(known.begin(), known.end(), options[j]) != known.end())
                continue;
            throw Error("config.json: /mounts/" + std::to_string(i) + "/options/" +
                        std::to_string(j) + ": \"" + options[j] +
                        "\" is not an option hull applies to a bind mount");
        }
    }
}

MountOptions parse_mount_options(const std::vector<std::string>& options) {
    MountOptions out;
    for (const auto& name : options) {
        if (name == "defaults") continue;
        if (name == "bind") {
            out.bind = true;
        } else if (name == "rbind") {
            out.bind = true;
            out.recursive_bind = true;
        } else if (name == "idmap") {
            out.idmap = true;
        } else if (name == "ridmap") {
            out.idmap = true;
            out.idmap_recursive = true;
        } else if (name == "tmpcopyup") {
            out.tmpcopyup = true;
        } else if (apply_flag_option(name, out) || apply_recursive_option(name, out) ||
                   apply_propagation_option(name, out)) {
            continue;
        } else {
            if (!out.data.empty()) out.data += ',';
            out.data += name;
        }
    }
    return out;
}

AttrChange bind_mount_attrs(const MountOptions& options) {
    struct Pair {
        unsigned long flag;
        std::uint64_t attr;
    };
    constexpr Pair kPairs[] = {
        {MS_RDONLY, MOUNT_ATTR_RDONLY},         {MS_NOSUID, MOUNT_ATTR_NOSUID},
        {MS_NODEV, MOUNT_ATTR_NODEV},           {MS_NOEXEC, MOUNT_ATTR_NOEXEC},
        {MS_NODIRATIME, MOUNT_ATTR_NODIRATIME}, {MS_NOSYMFOLLOW, MOUNT_ATTR_NOSYMFOLLOW},
    };
    AttrChange change;
    for (const auto& pair : kPairs) {
        if (options.flags & pair.flag) change.set |= pair.attr;
        if (options.clear_flags & pair.flag) change.clear |= pair.attr;
    }
    if (options.flags & kAtimeFlags) {
        change.clear |= MOUNT_ATTR__ATIME;
        if (options.flags & MS_NOATIME) change.set |= MOUNT_ATTR_NOATIME;
        if (options.flags & MS_STRICTATIME) change.set |= MOUNT_ATTR_STRICTATIME;
    } else if (options.clear_flags & kAtimeFlags) {
        // atime / norelatime / nostrictatime alone: the kernel default, relatime.
        change.clear |= MOUNT_ATTR__ATIME;
    }
    return change;
}

std::uint64_t mount_attr_from_flags(unsigned long flags) {
    std::uint64_t attrs = 0;
    if (flags & MS_RDONLY) attrs |= MOUNT_ATTR_RDONLY;
    if (flags & MS_NOSUID) attrs |= MOUNT_ATTR_NOSUID;
    if (flags & MS_NODEV) attrs |= MOUNT_ATTR_NODEV;
    if (flags & MS_NOEXEC) attrs |= MOUNT_ATTR_NOEXEC;
    return attrs;
}

unsigned long parse_propagation(const std::string& value) {
    for (const auto& option : spec::mount_propagation_options()) {
        if (option.name == value) return option.flags | MS_REC;
    }
    throw Error("rootfsPropagation: unknown value \"" + value + "\"");
}

}  // namespace hull::bundle
