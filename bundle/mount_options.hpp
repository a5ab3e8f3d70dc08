// The OCI `options` array of a mount, split into what each kernel interface needs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "spec/config.hpp"

namespace hull::bundle {

struct MountOptions {
    // MS_* flags for mount(2) (ro, nosuid, noatime, remount, ...). MS_BIND/MS_REC are not
    // here: see bind / recursive_bind.
    unsigned long flags = 0;
    // MS_* flags the options explicitly turned off (rw, suid, dev, exec, atime, ...). A bind
    // remount needs them to clear a flag instead of inheriting it.
    unsigned long clear_flags = 0;
    bool bind = false;
    bool recursive_bind = false;  // rbind
    // Propagation changes (MS_PRIVATE, MS_SLAVE|MS_REC, ...) in the order given; each needs
    // its own mount(2) call after the mount exists.
    std::vector<unsigned long> propagation;
    // Recursive per-mount attributes (rro, rnosuid, ...) for mount_setattr(AT_RECURSIVE).
    std::uint64_t recursive_attr_set = 0;
    std::uint64_t recursive_attr_clear = 0;
    bool idmap = false;
    bool idmap_recursive = false;  // ridmap
    bool tmpcopyup = false;
    // Everything not recognised, comma-joined, for the filesystem (e.g. "mode=755,size=64k").
    std::string data;

    bool has_recursive_attrs() const {
        return recursive_attr_set != 0 || recursive_attr_clear != 0;
    }
};

// A bind mount has no filesystem to pass unknown options to: each option of a bind mount
// (type "bind", or "bind"/"rbind" among its options) must be one hull applies. Error naming
// /mounts/N/options/M otherwise, e.g. for a typo like "noexce".
void check_mount_options(const spec::Config& config);

// Parses the options of one mount. Unknown strings go to `data`; never throws.
MountOptions parse_mount_options(const std::vector<std::string>& options);

struct AttrChange {
    std::uint64_t set = 0;
    std::uint64_t clear = 0;
};

// The non-recursive per-mount flags of the options (ro/rw, nosuid/suid, nodev/dev, noexec/exec,
// atime modes, nodiratime, nosymfollow) as mount_setattr attributes, for a bind mount: only
// what the options name is set or cleared, so flags the source has (and a user namespace may
// have locked) are kept. Superblock flags (sync, dirsync, ...) do not apply to a bind.
AttrChange bind_mount_attrs(const MountOptions& options);

// MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC of flags as MOUNT_ATTR_* bits.
std::uint64_t mount_attr_from_flags(unsigned long flags);

// rootfsPropagation ("shared", "rslave", ...) to MS_* flags, recursive; throws on an unknown value.
unsigned long parse_propagation(const std::string& value);

}  // namespace hull::bundle
