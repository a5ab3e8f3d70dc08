#include "bundle/cgroup_mount.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "base/error.hpp"
#include "base/file.hpp"
#include "bundle/mount_util.hpp"
#include "bundle/safe_path.hpp"
#include "runtime/cgroups/layout.hpp"

namespace hull::bundle {
namespace {

constexpr const char* kCgroupRoot = "/sys/fs/cgroup";

// The cgroup hierarchies mounted directly under /sys/fs/cgroup in this mount namespace, read
// by the same parser the cgroup drivers use.
std::vector<cgroups::Mount> host_hierarchies() {
    const std::string prefix = std::string(kCgroupRoot) + "/";
    return cgroups::parse_cgroup_mounts(
        read_file("/proc/self/mountinfo"), [&prefix](const std::string& mountpoint) {
            return mountpoint.rfind(prefix, 0) == 0 &&
                   mountpoint.find('/', prefix.size()) == std::string::npos;
        });
}

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names)
        out += (out.empty() ? "" : ",") + n;
    return out;
}

void mount_fresh(const std::string& fstype, const std::string& data, unsigned long flags,
                 int target_fd) {
    if (::mount(fstype.c_str(), fd_path(target_fd).c_str(), fstype.c_str(), flags,
                data.empty() ? nullptr : data.c_str()) < 0) {
        int err = errno;
        throw Error(std::strerror(err), err);
    }
}

void mount_hierarchy(const MountContext& ctx, const cgroups::Mount& h,
                     const std::string& destination, const MountOptions& options,
                     bool new_cgroupns) {
    const std::string name = h.mountpoint.substr(std::strlen(kCgroupRoot) + 1);
    const std::string what = "cgroup " + name;
    unique_fd target = make_mountpoint(ctx.root_fd, destination + "/" + name, true);
    const unsigned long flags = options.flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC);
    try {
        if (new_cgroupns) {
            // Mounted from inside a cgroup namespace, the hierarchy's root is the namespace's.
            mount_fresh(h.v2 ? "cgroup2" : "cgroup", joined(h.controllers), flags, target.get());
            return;
        }
        std::string path =
            cgroups::own_cgroup_path(cgroups::parse_proc_cgroup(read_file("/proc/self/cgroup")), h);
        if (h.root != "/" && path.rfind(h.root, 0) == 0) path = path.substr(h.root.size());
        unique_fd tree = clone_tree(h.mountpoint + path, false, "bind");
        MountOptions bind_options;
        bind_options.flags = flags;
        AttrChange attrs = bind_mount_attrs(bind_options);
        if (attrs.set) set_mount_attrs(tree.get(), attrs.set, 0, false, "bind");
        attach_tree(tree.get(), target.get(), "attach");
    } catch (const Error& e) {
        throw e.with_context(what);
    }
}

void link_aliases(const MountContext& ctx, const std::string& destination) {
    // Co-mounted controllers appear under each name as symlinks (cpu -> cpu,cpuacct).
    unique_fd host_dir = open_fd(kCgroupRoot, O_RDONLY | O_DIRECTORY);
    unique_fd dest_path = open_in_root(ctx.root_fd, destination, O_PATH | O_DIRECTORY);
    unique_fd dest = open_in_root(dest_path.get(), "", O_RDONLY | O_DIRECTORY);
    unique_fd listing = open_fd(kCgroupRoot, O_RDONLY | O_DIRECTORY);
    DIR* dir = ::fdopendir(listing.release());
    if (dir == nullptr) throw_errno("opendir " + std::string(kCgroupRoot));
    struct DirCloser {
        DIR* d;
        ~DirCloser() { ::closedir(d); }
    } closer{dir};
    while (struct dirent* entry = ::readdir(dir)) {
        if (entry->d_type != DT_LNK) continue;
        char buf[256];
        ssize_t n = ::readlinkat(host_dir.get(), entry->d_name, buf, sizeof buf - 1);
        if (n <= 0) continue;
        buf[n] = '\0';
        if (::symlinkat(buf, dest.get(), entry->d_name) < 0 && errno != EEXIST)
            throw_errno("symlink " + destination + "/" + entry->d_name);
    }
}

}  // namespace

void mount_cgroup(const MountContext& ctx, const spec::Mount& /*mount*/,
                  const MountOptions& options, const std::string& destination) {
    const bool new_cgroupns = ctx.new_cgroup_ns;
    struct statfs fs;
    if (::statfs(kCgroupRoot, &fs) < 0) throw_errno(std::string("statfs ") + kCgroupRoot);
    if (fs.f_type == CGROUP2_SUPER_MAGIC) {
        unique_fd target = make_mountpoint(ctx.root_fd, destination, true);
        if (new_cgroupns) {
            mount_fresh("cgroup2", options.data, options.flags, target.get());
        } else {
            // In the host's cgroup namespace a fresh cgroup2 mount reconfigures the one
            // superblock: its options replace the host's (systemd's nsdelegate and
            // memory_recursiveprot were dropped, found in the v2 guest). A bind of the host's
            // tree shows the same hierarchy and leaves them alone; from a user namespace it is
            // also the only way.
            unique_fd tree = clone_tree(kCgroupRoot, true, "bind");
            AttrChange attrs = bind_mount_attrs(options);
            if (attrs.set || attrs.clear)
                set_mount_attrs(tree.get(), attrs.set, attrs.clear, false, "bind");
            attach_tree(tree.get(), target.get(), "attach");
        }
        return;
    }

    // v1 or hybrid: a tmpfs holding one directory per hierarchy.
    unique_fd target = make_mountpoint(ctx.root_fd, destination, true);
    const unsigned long tmpfs_flags =
        (options.flags & (MS_NOSUID | MS_NODEV | MS_NOEXEC)) | MS_NOSUID | MS_NODEV | MS_NOEXEC;
    mount_fresh("tmpfs", "mode=755", tmpfs_flags, target.get());
    for (const cgroups::Mount& h : host_hierarchies())
        mount_hierarchy(ctx, h, destination, options, new_cgroupns);
    link_aliases(ctx, destination);
    if (options.flags & MS_RDONLY) {
        unique_fd mounted = open_in_root(ctx.root_fd, destination, O_PATH);
        set_mount_attrs(mounted.get(), MOUNT_ATTR_RDONLY, 0, false, "read-only");
    }
}

}  // namespace hull::bundle
