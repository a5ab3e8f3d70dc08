#include "bundle/devices.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>

#include "base/error.hpp"
#include "bundle/mount_util.hpp"
#include "bundle/safe_path.hpp"

namespace hull::bundle {
namespace {

spec::Device default_device(const char* path, int major, int minor) {
    spec::Device d;
    d.type = "c";
    d.path = path;
    d.major = major;
    d.minor = minor;
    d.file_mode = 0666;
    d.uid = 0;
    d.gid = 0;
    return d;
}

mode_t node_type(const spec::Device& device) {
    if (device.type == "c" || device.type == "u") return S_IFCHR;
    if (device.type == "b") return S_IFBLK;
    if (device.type == "p") return S_IFIFO;
    throw Error("device " + device.path + ": unknown type \"" + device.type + "\"");
}

std::pair<std::string, std::string> split_parent(const std::string& path) {
    std::string p = path;
    while (p.size() > 1 && p.back() == '/')
        p.pop_back();
    auto slash = p.rfind('/');
    if (slash == std::string::npos) return {"/", p};
    return {slash == 0 ? "/" : p.substr(0, slash), p.substr(slash + 1)};
}

void bind_host_node(int root_fd, const spec::Device& device) {
    const std::string what = "device " + device.path;
    unique_fd target = make_mountpoint(root_fd, device.path, false);
    unique_fd tree = clone_tree(device.path, false, what);
    attach_tree(tree.get(), target.get(), what);
}

void make_node(int root_fd, const spec::Device& device) {
    const std::string what = "device " + device.path;
    const mode_t type = node_type(device);
    const dev_t rdev = type == S_IFIFO ? 0
                                       : makedev(static_cast<unsigned>(device.major),
                                                 static_cast<unsigned>(device.minor));
    const mode_t mode = device.file_mode.value_or(0666) & 07777;
    auto [parent_path, name] = split_parent(device.path);
    if (name.empty() || name == "." || name == "..") throw Error(what + ": invalid path");
    unique_fd parent = make_mountpoint(root_fd, parent_path, true);
    // make_mountpoint returns an O_PATH fd; *at() calls need a real directory fd.
    unique_fd dir = open_in_root(parent.get(), "", O_RDONLY | O_DIRECTORY);

    struct stat st;
    if (::fstatat(dir.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) {
        if (S_ISDIR(st.st_mode)) throw Error(what + ": a directory is in the way", EISDIR);
        if ((st.st_mode & S_IFMT) != type || (type != S_IFIFO && st.st_rdev != rdev)) {
            if (::unlinkat(dir.get(), name.c_str(), 0) < 0) throw_errno(what + ": unlink");
        }
    }
    if (::mknodat(dir.get(), name.c_str(), type | mode, rdev) < 0 && errno != EEXIST)
        throw_errno(what + ": mknod");
    if (::fchownat(dir.get(), name.c_str(), device.uid.value_or(0), device.gid.value_or(0),
                   AT_SYMLINK_NOFOLLOW) < 0)
        throw_errno(what + ": chown");
    // mknod applied the umask; the spec's fileMode is exact.
    if (::fchmodat(dir.get(), name.c_str(), mode, 0) < 0) throw_errno(what + ": chmod");
}

void create_device(int root_fd, const spec::Device& device, bool in_user_namespace) {
    const mode_t type = node_type(device);
    if (in_user_namespace && type != S_IFIFO) {
        bind_host_node(root_fd, device);
    } else {
        make_node(root_fd, device);
    }
}

bool exists_in_root(int root_fd, const std::string& path) {
    return try_open_in_root(root_fd, path, O_PATH).valid();
}

void symlink_in(int dir_fd, const std::string& target, const std::string& name) {
    if (::symlinkat(target.c_str(), dir_fd, name.c_str()) < 0 && errno != EEXIST)
        throw_errno("symlink /dev/" + name + " -> " + target);
}

}  // namespace

void create_devices(int root_fd, const spec::Config& config, bool in_user_namespace) {
    const std::vector<spec::Device> defaults = {
        default_device("/dev/null", 1, 3),    default_device("/dev/zero", 1, 5),
        default_device("/dev/full", 1, 7),    default_device("/dev/random", 1, 8),
        default_device("/dev/urandom", 1, 9), default_device("/dev/tty", 5, 0),
    };
    static const std::vector<spec::Device> kNone;
    const auto& configured = config.linux ? config.linux->devices : kNone;
    for (const auto& device : defaults) {
        bool overridden = false;
        for (const auto& c : configured)
            overridden = overridden || c.path == device.path;
        if (!overridden) create_device(root_fd, device, in_user_namespace);
    }
    for (const auto& device : configured)
        create_device(root_fd, device, in_user_namespace);
}

void create_dev_symlinks(int root_fd) {
    unique_fd dev_path = make_mountpoint(root_fd, "/dev", true);
    unique_fd dev = open_in_root(dev_path.get(), "", O_RDONLY | O_DIRECTORY);
    if (exists_in_root(root_fd, "/proc/self/fd")) {
        symlink_in(dev.get(), "/proc/self/fd", "fd");
        symlink_in(dev.get(), "/proc/self/fd/0", "stdin");
        symlink_in(dev.get(), "/proc/self/fd/1", "stdout");
        symlink_in(dev.get(), "/proc/self/fd/2", "stderr");
    }
    if (exists_in_root(root_fd, "/proc/kcore")) symlink_in(dev.get(), "/proc/kcore", "core");
    if (exists_in_root(root_fd, "/dev/pts/ptmx")) {
        // A ptmx node from the rootfs would open the host's devpts instance.
        struct stat st;
        if (::fstatat(dev.get(), "ptmx", &st, AT_SYMLINK_NOFOLLOW) == 0) {
            if (S_ISDIR(st.st_mode)) throw Error("/dev/ptmx: a directory is in the way");
            if (::unlinkat(dev.get(), "ptmx", 0) < 0) throw_errno("unlink /dev/ptmx");
        }
        symlink_in(dev.get(), "pts/ptmx", "ptmx");
    }
}

}  // namespace hull::bundle
