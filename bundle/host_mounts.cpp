#include "bundle/host_mounts.hpp"

#include <sys/mount.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "base/error.hpp"
#include "base/file.hpp"
#include "base/mountinfo.hpp"

namespace hull::bundle {

std::vector<int> mount_ids_under(const std::string& dir) {
    std::vector<int> ids;
    for (const auto& m : parse_mountinfo(read_file("/proc/self/mountinfo")))
        if (path_at_or_below(m.mountpoint, dir)) ids.push_back(m.id);
    return ids;
}

void unmount_all_under(const std::string& dir, const std::vector<int>& keep) {
    auto mounts = parse_mountinfo(read_file("/proc/self/mountinfo"));
    std::string first_error;
    // mountinfo lists a mount after its parent and after what it is stacked on: in reverse,
    // children and upper mounts go first, and a path names the mount on top when it goes.
    for (auto it = mounts.rbegin(); it != mounts.rend(); ++it) {
        if (!path_at_or_below(it->mountpoint, dir)) continue;
        if (std::find(keep.begin(), keep.end(), it->id) != keep.end()) continue;
        // EINVAL/ENOENT: gone already, with a parent detached before it.
        if (::umount2(it->mountpoint.c_str(), MNT_DETACH | UMOUNT_NOFOLLOW) < 0 &&
            errno != EINVAL && errno != ENOENT && first_error.empty())
            first_error = "unmount " + it->mountpoint + ": " + std::strerror(errno);
    }
    if (!first_error.empty()) throw Error(first_error);
}

}  // namespace hull::bundle
