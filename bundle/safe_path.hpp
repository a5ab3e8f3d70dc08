// Resolving paths inside a container rootfs so that no symlink (absolute, relative or a
// /proc magic link) can lead out of it: the CVE-2021-30465 class of bugs.
#pragma once

#include <string>

#include "base/unique_fd.hpp"

namespace hull::bundle {

// openat2(root_fd, path, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS): absolute symlinks and ".."
// are re-rooted at root_fd. flags are open(2) flags (O_CLOEXEC is added); typically O_PATH.
// Throws Error naming the path; Error::code() is the errno (ENOENT for a missing path).
unique_fd open_in_root(int root_fd, const std::string& path, int flags);

// Like open_in_root, but returns an invalid fd instead of throwing when the path is missing.
unique_fd try_open_in_root(int root_fd, const std::string& path, int flags);

// Returns an O_PATH fd for path inside root_fd, creating what is missing one component at a
// time relative to the already verified parent: parents as directories (0755), the last
// component as a directory (0755) or, if !directory, an empty file (0644). An existing last
// component is used as it is (after following symlinks inside the root).
unique_fd make_mountpoint(int root_fd, const std::string& path, bool directory);

// "/proc/self/fd/N", for syscalls that only take a path.
std::string fd_path(int fd);

}  // namespace hull::bundle
