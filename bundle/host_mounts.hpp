// A container without a mount namespace of its own mounts into the host's, below its rootfs
// (config-linux.md: a namespace type that is not listed is the runtime's). What create and
// the container mounted there must go at delete; what was there before (a rootfs that
// containerd or Podman mounted) must stay.
#pragma once

#include <string>
#include <vector>

namespace hull::bundle {

// Ids of the mounts at or below dir in the caller's mount namespace.
std::vector<int> mount_ids_under(const std::string& dir);

// Detaches every mount at or below dir whose id is not in keep, deepest (latest) first.
// Throws Error naming the first mount that could not be detached; the others are still tried.
void unmount_all_under(const std::string& dir, const std::vector<int>& keep);

}  // namespace hull::bundle
