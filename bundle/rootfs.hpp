// The container's root filesystem, set up by the container's init process inside its new
// mount namespace (and user namespace, maps already written), before the user process runs.
// Call order: prepare_rootfs, [createRuntime/createContainer hooks], enter_rootfs,
// finalize_rootfs, and mount_console when process.terminal is set.
#pragma once

#include <cstddef>
#include <map>
#include <string>

#include "base/unique_fd.hpp"
#include "spec/config.hpp"

namespace hull::bundle {

struct RootfsOptions {
    std::string rootfs;      // absolute host path of the rootfs (bundle dir + root.path, resolved)
    std::string bundle_dir;  // absolute; relative bind-mount sources are relative to it
    bool no_pivot = false;   // --no-pivot: MS_MOVE + chroot instead of pivot_root
    // No mount namespace of the container's own: the mounts go into the host's, "/" keeps its
    // propagation, and the container is chrooted into rootfs (no pivot, no move of "/").
    bool host_mount_namespace = false;
    // A new user namespace: mknod is impossible, so host device nodes are bind-mounted, and
    // sysfs without a new network namespace becomes an rbind of /sys.
    bool in_user_namespace = false;
    // Index in config.mounts -> a detached tree fd from make_host_side_tree, attached instead
    // of performing that mount. Not owned (duplicated when used); the caller closes them.
    std::map<std::size_t, int> premade_trees;
};

// With a user namespace, the runtime's host-side process (in the host user and mount
// namespace) makes the detached tree of every bind mount and passes the fds to the init
// process for RootfsOptions::premade_trees; creating a tree changes no mount table. Inside
// the container's user namespace, init could neither make idmapped trees (that needs
// CAP_SYS_ADMIN over the source filesystem's user namespace, the host's: EPERM) nor reach a
// source below a directory its mapped root may not search (a 0700 `mktemp -d`: EACCES);
// runc opens bind sources on the host side for the same reason.
bool needs_host_side_tree(const spec::Mount& mount);
unique_fd make_host_side_tree(const spec::Config& config, const spec::Mount& mount,
                              const std::string& bundle_dir);

// Makes "/" rslave (rprivate when rootfsPropagation is private/unbindable) so nothing leaks to
// the host, bind-mounts the rootfs onto itself, performs config.mounts in order, then creates
// the default devices, linux.devices and the /dev symlinks (all skipped when /dev is a bind
// mount). Needs the host's /proc (mounts target "/proc/self/fd/N"). When the container has a
// new PID (cgroup) namespace, call it from a process already in it: a proc (cgroup) mount
// shows the namespace of the mounting process.
void prepare_rootfs(const spec::Config& config, const RootfsOptions& options);

// pivot_root into the rootfs (chroot with no_pivot), detaches the old root, chdir("/").
void enter_rootfs(const spec::Config& config, const RootfsOptions& options);

// Inside the new root: maskedPaths, readonlyPaths, rootfsPropagation on "/", root.readonly.
void finalize_rootfs(const spec::Config& config, const RootfsOptions& options);

// Bind-mounts the pty slave (its path in the container, e.g. "/dev/pts/0") over /dev/console,
// creating the file. After enter_rootfs.
void mount_console(const std::string& slave_path);

}  // namespace hull::bundle
