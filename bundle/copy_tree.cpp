#include "bundle/copy_tree.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "base/error.hpp"
#include "base/file.hpp"
#include "base/unique_fd.hpp"

namespace hull::bundle {
namespace {

std::vector<std::string> list_dir(int dir_fd, const std::string& what) {
    int fd = ::openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) throw_errno(what + ": open");
    DIR* dir = ::fdopendir(fd);
    if (dir == nullptr) {
        unique_fd owned(fd);
        throw_errno(what + ": opendir");
    }
    std::vector<std::string> names;
    while (struct dirent* entry = ::readdir(dir)) {
        std::string name = entry->d_name;
        if (name != "." && name != "..") names.push_back(name);
    }
    ::closedir(dir);
    return names;
}

void copy_file(int src_dir, int dst_dir, const std::string& name, mode_t mode,
               const std::string& what) {
    unique_fd in(::openat(src_dir, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (!in) throw_errno(what + ": open");
    unique_fd out(::openat(dst_dir, name.c_str(),
                           O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode & 07777));
    if (!out) throw_errno(what + ": create");
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(in.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw_errno(what + ": read");
        if (n == 0) break;
        write_all(out.get(), std::string(buf, static_cast<std::size_t>(n)), what);
    }
}

}  // namespace

void copy_tree(int src_dir_fd, int dst_dir_fd, const std::string& what) {
    for (const std::string& name : list_dir(src_dir_fd, what)) {
        const std::string item = what + "/" + name;
        struct stat st;
        if (::fstatat(src_dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0)
            throw_errno(item + ": stat");
        if (S_ISDIR(st.st_mode)) {
            if (::mkdirat(dst_dir_fd, name.c_str(), 0700) < 0) throw_errno(item + ": mkdir");
            unique_fd src(::openat(src_dir_fd, name.c_str(),
                                   O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
            unique_fd dst(::openat(dst_dir_fd, name.c_str(),
                                   O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
            if (!src || !dst) throw_errno(item + ": open");
            copy_tree(src.get(), dst.get(), item);
        } else if (S_ISREG(st.st_mode)) {
            copy_file(src_dir_fd, dst_dir_fd, name, st.st_mode, item);
        } else if (S_ISLNK(st.st_mode)) {
            std::vector<char> target(static_cast<std::size_t>(st.st_size) + 1);
            ssize_t n = ::readlinkat(src_dir_fd, name.c_str(), target.data(), target.size());
            if (n < 0) throw_errno(item + ": readlink");
            std::string link(target.data(), static_cast<std::size_t>(n));
            if (::symlinkat(link.c_str(), dst_dir_fd, name.c_str()) < 0)
                throw_errno(item + ": symlink");
        } else {
            if (::mknodat(dst_dir_fd, name.c_str(), st.st_mode, st.st_rdev) < 0)
                throw_errno(item + ": mknod");
        }
        if (::fchownat(dst_dir_fd, name.c_str(), st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) < 0)
            throw_errno(item + ": chown");
        if (!S_ISLNK(st.st_mode) && ::fchmodat(dst_dir_fd, name.c_str(), st.st_mode & 07777, 0) < 0)
            throw_errno(item + ": chmod");
    }
}

}  // namespace hull::bundle
