#include "bundle/mount_util.hpp"

#include <fcntl.h>
#include <sys/mount.h>

#include "base/error.hpp"
#include "base/syscalls.hpp"
#include "bundle/safe_path.hpp"

namespace hull::bundle {

unique_fd clone_tree(int fd, bool recursive, const std::string& what) {
    unsigned int flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH;
    if (recursive) flags |= AT_RECURSIVE;
    int tree = sys::open_tree(fd, "", flags);
    if (tree < 0) throw_errno(what + ": open_tree");
    return unique_fd(tree);
}

unique_fd clone_tree(const std::string& host_path, bool recursive, const std::string& what) {
    unsigned int flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC;
    if (recursive) flags |= AT_RECURSIVE;
    int tree = sys::open_tree(AT_FDCWD, host_path.c_str(), flags);
    if (tree < 0) throw_errno(what + ": open_tree " + host_path);
    return unique_fd(tree);
}

void set_mount_attrs(int fd, std::uint64_t set, std::uint64_t clear, bool recursive,
                     const std::string& what, int userns_fd) {
    sys::mount_attr attr = {};
    attr.attr_set = set;
    attr.attr_clr = clear;
    if (userns_fd >= 0) {
        attr.attr_set |= MOUNT_ATTR_IDMAP;
        attr.userns_fd = static_cast<std::uint64_t>(userns_fd);
    }
    unsigned int flags = AT_EMPTY_PATH;
    if (recursive) flags |= AT_RECURSIVE;
    if (sys::mount_setattr(fd, "", flags, &attr) < 0)
        throw_errno(what + (userns_fd >= 0 ? ": idmap (mount_setattr)" : ": mount_setattr"));
}

void attach_tree(int tree_fd, int target_fd, const std::string& what) {
    if (sys::move_mount(tree_fd, "", target_fd, "",
                        MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
        throw_errno(what + ": move_mount");
}

unique_fd new_fs_mount(const std::string& fstype, std::uint64_t attrs, const std::string& what) {
    unique_fd fs(::fsopen(fstype.c_str(), FSOPEN_CLOEXEC));
    if (!fs) throw_errno(what + ": fsopen " + fstype);
    if (::fsconfig(fs.get(), FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) < 0)
        throw_errno(what + ": fsconfig create " + fstype);
    int mnt = ::fsmount(fs.get(), FSMOUNT_CLOEXEC, static_cast<unsigned int>(attrs));
    if (mnt < 0) throw_errno(what + ": fsmount " + fstype);
    return unique_fd(mnt);
}

void set_propagation(int fd, unsigned long flags, const std::string& what) {
    if (::mount(nullptr, fd_path(fd).c_str(), nullptr, flags, nullptr) < 0)
        throw_errno(what + ": set propagation");
}

}  // namespace hull::bundle
