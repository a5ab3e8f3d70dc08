// One entry of config.mounts, performed inside the rootfs.
#pragma once

#include <string>

#include "spec/config.hpp"

namespace hull::bundle {

struct MountContext {
    int root_fd = -1;  // O_PATH fd of the rootfs (after it was bind-mounted onto itself)
    std::string bundle_dir;
    bool in_user_namespace = false;
    const spec::Config* config = nullptr;
    // Namespaces the container creates (not joins), from linux.namespaces.
    bool new_network_ns = false;
    bool new_ipc_ns = false;
    bool new_cgroup_ns = false;
};

// Performs the mount; errors read "mount <destination> (<type>): ...". premade_tree >= 0 is a
// detached tree from make_host_side_tree to attach instead (not consumed: it is duplicated).
void perform_mount(const MountContext& ctx, const spec::Mount& mount, int premade_tree = -1);

// "/" + destination cleaned of "." and duplicate slashes (relative destinations are relative
// to "/"); ".." is kept (resolution inside the root confines it).
std::string clean_destination(const std::string& destination);

}  // namespace hull::bundle
