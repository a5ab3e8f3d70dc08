#include "bundle/rootfs.hpp"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <optional>

#include "base/error.hpp"
#include "base/file.hpp"
#include "base/mountinfo.hpp"
#include "base/syscalls.hpp"
#include "bundle/devices.hpp"
#include "bundle/mount_entry.hpp"
#include "bundle/mount_options.hpp"
#include "bundle/mount_util.hpp"
#include "bundle/safe_path.hpp"

namespace hull::bundle {
namespace {

const std::string& rootfs_propagation(const spec::Config& config) {
    static const std::string kNone;
    return config.linux ? config.linux->rootfs_propagation : kNone;
}

// Not Config::find_namespace: this module links without the spec parser's objects.
const spec::Namespace* find_namespace(const spec::Config& config, const std::string& type) {
    if (!config.linux) return nullptr;
    for (const auto& ns : config.linux->namespaces)
        if (ns.type == type) return &ns;
    return nullptr;
}

bool creates_namespace(const spec::Config& config, const std::string& type) {
    const spec::Namespace* ns = find_namespace(config, type);
    return ns != nullptr && ns->path.empty();
}

// /dev bind-mounted from elsewhere (typically the host's): creating nodes there would create
// them in the source, so it is left as it is.
bool dev_is_bind(const spec::Config& config) {
    for (const auto& m : config.mounts) {
        if (clean_destination(m.destination) != "/dev") continue;
        if (m.type == "bind") return true;
        for (const auto& o : m.options)
            if (o == "bind" || o == "rbind") return true;
    }
    return false;
}

// A /dev mounted read-only (not a bind): mounted writable first, because the devices, the
// /dev/pts and /dev/shm mountpoints, the links and /dev/console are made in it, and made
// read-only by finalize_rootfs once they exist, as runc does. Returns its index in mounts.
std::optional<std::size_t> readonly_dev_mount(const spec::Config& config) {
    if (dev_is_bind(config)) return std::nullopt;
    for (std::size_t i = 0; i < config.mounts.size(); ++i) {
        const auto& m = config.mounts[i];
        if (clean_destination(m.destination) != "/dev") continue;
        if (std::find(m.options.begin(), m.options.end(), "ro") != m.options.end()) return i;
    }
    return std::nullopt;
}

// Masked and read-only paths follow symlinks (inside the root): protecting the link itself
// would leave its target reachable.
void mask_path(int root_fd, const std::string& path, int null_fd) {
    unique_fd target = try_open_in_root(root_fd, path, O_PATH);
    if (!target) return;
    const std::string what = "maskedPaths " + path;
    struct stat st;
    if (::fstat(target.get(), &st) < 0) throw_errno(what + ": stat");
    if (S_ISDIR(st.st_mode)) {
        unique_fd tmpfs = new_fs_mount("tmpfs", MOUNT_ATTR_RDONLY, what);
        attach_tree(tmpfs.get(), target.get(), what);
    } else {
        unique_fd tree = clone_tree(null_fd, false, what);
        attach_tree(tree.get(), target.get(), what);
    }
}

// The container's /dev/null, refused unless it really is the null device: a rootfs could put
// any file there, and binding it over a masked path would unmask nothing but expose it.
unique_fd open_dev_null(int root_fd) {
    unique_fd fd = open_in_root(root_fd, "/dev/null", O_PATH | O_NOFOLLOW);
    struct stat st;
    if (::fstat(fd.get(), &st) < 0) throw_errno("stat /dev/null");
    if (!S_ISCHR(st.st_mode) || major(st.st_rdev) != 1 || minor(st.st_rdev) != 3)
        throw Error("maskedPaths: /dev/null in the container is not the null device");
    return fd;
}

void readonly_path(int root_fd, const std::string& path) {
    unique_fd target = try_open_in_root(root_fd, path, O_PATH);
    if (!target) return;
    const std::string what = "readonlyPaths " + path;
    unique_fd tree = clone_tree(target.get(), true, what);
    set_mount_attrs(tree.get(), MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, 0, true,
                    what);
    attach_tree(tree.get(), target.get(), what);
}

}  // namespace

void prepare_rootfs(const spec::Config& config, const RootfsOptions& options) {
    // Mounts made from here on must never propagate to the host: "/" becomes a slave (or
    // private) tree before anything is mounted.
    const std::string& propagation = rootfs_propagation(config);
    unsigned long root_flags = MS_SLAVE | MS_REC;
    if (propagation == "private" || propagation == "rprivate" || propagation == "unbindable" ||
        propagation == "runbindable")
        root_flags = MS_PRIVATE | MS_REC;
    if (!propagation.empty()) parse_propagation(propagation);  // reject bad values early
    // In the host's own namespace "/" is the host's to set, not the container's.
    if (!options.host_mount_namespace && ::mount(nullptr, "/", nullptr, root_flags, nullptr) < 0)
        throw_errno("make / " + std::string(root_flags & MS_PRIVATE ? "rprivate" : "rslave"));

    // pivot_root needs the new root to be a mount point.
    if (::mount(options.rootfs.c_str(), options.rootfs.c_str(), nullptr, MS_BIND | MS_REC,
                nullptr) < 0) {
        if (errno == EACCES && options.in_user_namespace)
            throw_errno("bind rootfs " + options.rootfs +
                        " (the user namespace's root must be able to search every directory "
                        "above it, as with runc)");
        throw_errno("bind rootfs " + options.rootfs);
    }
    // In the host's namespace, under a shared "/" (every systemd host): keep the container's
    // mounts, and their unmounting at delete, from propagating to the host's peers, where an
    // unmount below the rootfs would also take the host's own mounts at the same places.
    if (options.host_mount_namespace &&
        ::mount(nullptr, options.rootfs.c_str(), nullptr, MS_PRIVATE | MS_REC, nullptr) < 0)
        throw_errno("make the rootfs bind " + options.rootfs + " rprivate");
    unique_fd root = open_fd(options.rootfs, O_PATH | O_DIRECTORY);

    MountContext ctx;
    ctx.root_fd = root.get();
    ctx.bundle_dir = options.bundle_dir;
    ctx.in_user_namespace = options.in_user_namespace;
    ctx.config = &config;
    ctx.new_network_ns = creates_namespace(config, "network");
    ctx.new_ipc_ns = creates_namespace(config, "ipc");
    ctx.new_cgroup_ns = creates_namespace(config, "cgroup");
    const std::optional<std::size_t> readonly_dev = readonly_dev_mount(config);
    for (std::size_t i = 0; i < config.mounts.size(); ++i) {
        auto premade = options.premade_trees.find(i);
        int tree = premade == options.premade_trees.end() ? -1 : premade->second;
        if (i == readonly_dev) {
            spec::Mount writable = config.mounts[i];
            std::erase(writable.options, "ro");
            perform_mount(ctx, writable, tree);
        } else {
            perform_mount(ctx, config.mounts[i], tree);
        }
    }

    if (!dev_is_bind(config)) {
        create_devices(root.get(), config, options.in_user_namespace);
        create_dev_symlinks(root.get());
    }
}

namespace {

// Without pivot_root the host's mounts stay in the container's mount namespace, under the
// chroot. A full procfs or sysfs among them would let the container mount a fresh, unmasked
// /proc or /sys from a new user namespace: the kernel allows that while a fully visible one
// exists in the namespace. So they go, as runc does: detached (the namespace is private or
// slave by now, nothing propagates to the host), or covered with an empty tmpfs where that
// is refused. One that is gone already (under an earlier one) is skipped.
void detach_host_proc_and_sys(const std::string& rootfs) {
    for (const auto& m : parse_mountinfo(read_file("/proc/self/mountinfo"))) {
        if (m.fstype != "proc" && m.fstype != "sysfs") continue;
        if (path_at_or_below(m.mountpoint, rootfs)) continue;
        if (::umount2(m.mountpoint.c_str(), MNT_DETACH) == 0) continue;
        if (errno == ENOENT) continue;
        if (errno != EINVAL && errno != EPERM) throw_errno("detach the host's " + m.mountpoint);
        if (::mount("tmpfs", m.mountpoint.c_str(), "tmpfs",
                    MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=0") < 0 &&
            errno != ENOENT)
            throw_errno("cover the host's " + m.mountpoint);
    }
}

}  // namespace

void enter_rootfs(const spec::Config& /*config*/, const RootfsOptions& options) {
    unique_fd old_root = open_fd("/", O_RDONLY | O_DIRECTORY);
    unique_fd new_root = open_fd(options.rootfs, O_RDONLY | O_DIRECTORY);
    if (::fchdir(new_root.get()) < 0) throw_errno("chdir " + options.rootfs);
    if (options.host_mount_namespace) {
        // Neither pivot_root nor a move onto "/": both would change the host's own root.
        if (::chroot(".") < 0) throw_errno("chroot " + options.rootfs);
    } else if (options.no_pivot) {
        detach_host_proc_and_sys(options.rootfs);
        if (::mount(options.rootfs.c_str(), "/", nullptr, MS_MOVE, nullptr) < 0)
            throw_errno("move rootfs " + options.rootfs + " to /");
        if (::chroot(".") < 0) throw_errno("chroot " + options.rootfs);
    } else {
        // pivot_root(".", ".") stacks the old root on top of the new one at "/"; detaching it
        // (slave first, so the unmount cannot propagate anywhere) leaves the new root. The
        // cwd must be the old root for that: "." would otherwise be the new root, and the
        // recursive slave would undo the propagation of the container's own mounts.
        if (sys::pivot_root(".", ".") < 0) throw_errno("pivot_root " + options.rootfs);
        if (::fchdir(old_root.get()) < 0) throw_errno("chdir to the old root");
        if (::mount(nullptr, ".", nullptr, MS_SLAVE | MS_REC, nullptr) < 0)
            throw_errno("make old root rslave");
        if (::umount2(".", MNT_DETACH) < 0) throw_errno("detach old root");
    }
    if (::chdir("/") < 0) throw_errno("chdir /");
}

void finalize_rootfs(const spec::Config& config, const RootfsOptions& /*options*/) {
    unique_fd root = open_fd("/", O_PATH | O_DIRECTORY);
    if (config.linux) {
        const auto& linux = *config.linux;
        if (!linux.masked_paths.empty()) {
            unique_fd null_fd = open_dev_null(root.get());
            for (const auto& path : linux.masked_paths)
                mask_path(root.get(), path, null_fd.get());
        }
        for (const auto& path : linux.readonly_paths)
            readonly_path(root.get(), path);
        if (!linux.rootfs_propagation.empty()) {
            if (::mount(nullptr, "/", nullptr, parse_propagation(linux.rootfs_propagation),
                        nullptr) < 0)
                throw_errno("rootfsPropagation " + linux.rootfs_propagation);
        }
    }
    if (readonly_dev_mount(config)) {
        unique_fd dev = open_in_root(root.get(), "/dev", O_PATH | O_DIRECTORY);
        set_mount_attrs(dev.get(), MOUNT_ATTR_RDONLY, 0, false, "/dev read-only");
    }
    if (config.root && config.root->readonly) {
        // Only the read-only bit changes; nosuid/nodev/... of the rootfs mount stay.
        set_mount_attrs(root.get(), MOUNT_ATTR_RDONLY, 0, false, "root.readonly");
    }
}

void mount_console(const std::string& slave_path) {
    const std::string what = "mount /dev/console";
    unique_fd root = open_fd("/", O_PATH | O_DIRECTORY);
    unique_fd slave = open_in_root(root.get(), slave_path, O_PATH | O_NOFOLLOW);
    struct stat st;
    if (::fstat(slave.get(), &st) < 0) throw_errno(what + ": stat " + slave_path);
    struct statfs fs;
    if (!S_ISCHR(st.st_mode) || ::fstatfs(slave.get(), &fs) < 0 || fs.f_type != DEVPTS_SUPER_MAGIC)
        throw Error(what + ": " + slave_path + " is not a devpts terminal");
    // A symlink at /dev/console (from the rootfs) would redirect the mount; replace it.
    unique_fd dev_path = make_mountpoint(root.get(), "/dev", true);
    unique_fd dev = open_in_root(dev_path.get(), "", O_RDONLY | O_DIRECTORY);
    struct stat existing;
    if (::fstatat(dev.get(), "console", &existing, AT_SYMLINK_NOFOLLOW) == 0 &&
        !S_ISREG(existing.st_mode) && !S_ISCHR(existing.st_mode)) {
        if (::unlinkat(dev.get(), "console", 0) < 0) throw_errno(what + ": unlink /dev/console");
    }
    unique_fd target = make_mountpoint(root.get(), "/dev/console", false);
    unique_fd tree = clone_tree(slave.get(), false, what);
    attach_tree(tree.get(), target.get(), what);
}

}  // namespace hull::bundle
