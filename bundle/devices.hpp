// /dev inside the rootfs: default devices, linux.devices and the standard symlinks.
#pragma once

#include "spec/config.hpp"

namespace hull::bundle {

// Creates the default devices (null zero full random urandom tty) and linux.devices under
// root_fd: mknod, or in a user namespace a bind mount of the host node over an empty file.
void create_devices(int root_fd, const spec::Config& config, bool in_user_namespace);

// /dev/fd, /dev/stdin, /dev/stdout, /dev/stderr (when /proc/self/fd exists), /dev/core (when
// /proc/kcore exists) and /dev/ptmx -> pts/ptmx (when /dev/pts/ptmx exists).
void create_dev_symlinks(int root_fd);

}  // namespace hull::bundle
