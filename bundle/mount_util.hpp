// Thin wrappers over the new mount API (open_tree, mount_setattr, move_mount, fsopen) that
// work on fds, so no mount ever targets a path string a container could have redirected.
#pragma once

#include <cstdint>
#include <string>

#include "base/unique_fd.hpp"

namespace hull::bundle {

// A detached copy of the mount tree at fd (recursive: with its submounts).
unique_fd clone_tree(int fd, bool recursive, const std::string& what);
unique_fd clone_tree(const std::string& host_path, bool recursive, const std::string& what);

// mount_setattr on the mount at fd; userns_fd >= 0 adds MOUNT_ATTR_IDMAP.
void set_mount_attrs(int fd, std::uint64_t set, std::uint64_t clear, bool recursive,
                     const std::string& what, int userns_fd = -1);

// Attaches a detached tree (from clone_tree or new_fs_mount) on top of target_fd.
void attach_tree(int tree_fd, int target_fd, const std::string& what);

// A detached new filesystem of this type (fsopen/fsmount) with mount attributes, no options.
unique_fd new_fs_mount(const std::string& fstype, std::uint64_t attrs, const std::string& what);

// mount(2) propagation change on the mount whose root is fd.
void set_propagation(int fd, unsigned long flags, const std::string& what);

}  // namespace hull::bundle
