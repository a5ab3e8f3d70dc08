// The "cgroup" mount type: cgroup2 on a pure v2 host; on a v1 or hybrid host, a tmpfs with
// every hierarchy of the host under it (fresh mounts in a new cgroup namespace, else binds of
// this process's own cgroups), like other runtimes present them.
#pragma once

#include "bundle/mount_entry.hpp"
#include "bundle/mount_options.hpp"

namespace hull::bundle {

void mount_cgroup(const MountContext& ctx, const spec::Mount& mount, const MountOptions& options,
                  const std::string& destination);

}  // namespace hull::bundle
