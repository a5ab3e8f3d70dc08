#include "bundle/mount_options.hpp"

#include <sys/mount.h>

#include <algorithm>
#include <string_view>

#include "base/error.hpp"
#include "base/syscalls.hpp"

namespace hull::bundle {
namespace {

struct FlagOption {
    std::string_view name;
    bool clear;  // the option turns the flag off
    unsigned long flag;
};

// mount(8) filesystem-independent options.
constexpr FlagOption kFlagOptions[] = {
    {"ro", false, MS_RDONLY},
    {"rw", true, MS_RDONLY},
    {"nosuid", false, MS_NOSUID},
    {"suid", true, MS_NOSUID},
    {"nodev", false, MS_NODEV},
    {"dev", true, MS_NODEV},
    {"noexec", false, MS_NOEXEC},
    {"exec", true, MS_NOEXEC},
    {"sync", false, MS_SYNCHRONOUS},
    {"async", true, MS_SYNCHRONOUS},
    {"dirsync", false, MS_DIRSYNC},
    {"remount", false, MS_REMOUNT},
    {"mand", false, MS_MANDLOCK},
    {"nomand", true, MS_MANDLOCK},
    {"noatime", false, MS_NOATIME},
    {"atime", true, MS_NOATIME},
    {"nodiratime", false, MS_NODIRATIME},
    {"diratime", true, MS_NODIRATIME},
    {"relatime", false, MS_RELATIME},
    {"norelatime", true, MS_RELATIME},
    {"strictatime", false, MS_STRICTATIME},
    {"nostrictatime", true, MS_STRICTATIME},
    {"iversion", false, MS_I_VERSION},
    {"noiversion", true, MS_I_VERSION},
    {"lazytime", false, MS_LAZYTIME},
    {"nolazytime", true, MS_LAZYTIME},
    {"silent", false, MS_SILENT},
    {"loud", true, MS_SILENT},
    {"nosymfollow", false, MS_NOSYMFOLLOW},
    {"symfollow", true, MS_NOSYMFOLLOW},
};

struct PropagationOption {
    std::string_view name;
    unsigned long flags;
};

constexpr PropagationOption kPropagationOptions[] = {
    {"private", MS_PRIVATE},       {"rprivate", MS_PRIVATE | MS_REC},
    {"shared", MS_SHARED},         {"rshared", MS_SHARED | MS_REC},
    {"slave", MS_SLAVE},           {"rslave", MS_SLAVE | MS_REC},
    {"unbindable", MS_UNBINDABLE}, {"runbindable", MS_UNBINDABLE | MS_REC},
};

struct RecursiveOption {
    std::string_view name;
    std::uint64_t set;
    std::uint64_t clear;
};

// mount_setattr(2): an atime mode is chosen by clearing MOUNT_ATTR__ATIME and setting the mode.
// ratime, rnorelatime and rnostrictatime mean "back to the kernel default", which is relatime.
constexpr RecursiveOption kRecursiveOptions[] = {
    {"rro", MOUNT_ATTR_RDONLY, 0},
    {"rrw", 0, MOUNT_ATTR_RDONLY},
    {"rnosuid", MOUNT_ATTR_NOSUID, 0},
    {"rsuid", 0, MOUNT_ATTR_NOSUID},
    {"rnodev", MOUNT_ATTR_NODEV, 0},
    {"rdev", 0, MOUNT_ATTR_NODEV},
    {"rnoexec", MOUNT_ATTR_NOEXEC, 0},
    {"rexec", 0, MOUNT_ATTR_NOEXEC},
    {"rnodiratime", MOUNT_ATTR_NODIRATIME, 0},
    {"rdiratime", 0, MOUNT_ATTR_NODIRATIME},
    {"rnosymfollow", MOUNT_ATTR_NOSYMFOLLOW, 0},
    {"rsymfollow", 0, MOUNT_ATTR_NOSYMFOLLOW},
    {"rnoatime", MOUNT_ATTR_NOATIME, MOUNT_ATTR__ATIME},
    {"rstrictatime", MOUNT_ATTR_STRICTATIME, MOUNT_ATTR__ATIME},
    {"rrelatime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME},
    {"ratime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME},
    {"rnorelatime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME},
    {"rnostrictatime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME},
};

constexpr unsigned long kAtimeFlags = MS_NOATIME | MS_RELATIME | MS_STRICTATIME;

bool apply_flag_option(std::string_view name, MountOptions& out) {
    for (const auto& option : kFlagOptions) {
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
    for (const auto& option : kRecursiveOptions) {
        if (option.name != name) continue;
        if (option.clear & MOUNT_ATTR__ATIME) out.recursive_attr_set &= ~MOUNT_ATTR__ATIME;
        out.recursive_attr_set = (out.recursive_attr_set & ~option.clear) | option.set;
        out.recursive_attr_clear = (out.recursive_attr_clear & ~option.set) | option.clear;
        return true;
    }
    return false;
}

bool apply_propagation_option(std::string_view name, MountOptions& out) {
    for (const auto& option : kPropagationOptions) {
        if (option.name != name) continue;
        out.propagation.push_back(option.flags);
        return true;
    }
    return false;
}

}  // namespace

// Handled by name in parse_mount_options, outside the tables.
constexpr std::string_view kNamedOptions[] = {"bind", "rbind", "idmap", "ridmap", "tmpcopyup"};

std::vector<std::string> known_mount_options() {
    std::vector<std::string> out(std::begin(kNamedOptions), std::end(kNamedOptions));
    for (const auto& o : kFlagOptions)
        out.emplace_back(o.name);
    for (const auto& o : kRecursiveOptions)
        out.emplace_back(o.name);
    for (const auto& o : kPropagationOptions)
        out.emplace_back(o.name);
    return out;
}

void check_mount_options(const spec::Config& config) {
    auto known = known_mount_options();
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
    for (const auto& option : kPropagationOptions) {
        if (option.name == value) return option.flags | MS_REC;
    }
    throw Error("rootfsPropagation: unknown value \"" + value + "\"");
}

}  // namespace hull::bundle
