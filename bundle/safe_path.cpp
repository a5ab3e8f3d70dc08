#include "bundle/safe_path.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <vector>

#include "base/error.hpp"
#include "base/syscalls.hpp"

namespace hull::bundle {
namespace {

constexpr std::uint64_t kResolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;

int raw_open_in_root(int root_fd, const std::string& path, int flags) {
    struct open_how how = {};
    how.flags = static_cast<std::uint64_t>(flags | O_CLOEXEC);
    how.resolve = kResolve;
    // An empty path means the root itself; openat2 wants "." for that.
    const char* p = path.empty() ? "." : path.c_str();
    int fd;
    do {
        fd = sys::openat2(root_fd, p, &how);
    } while (fd < 0 && (errno == EINTR || errno == EAGAIN));
    return fd;
}

std::vector<std::string> split_components(const std::string& path) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string::npos) end = path.size();
        std::string part = path.substr(start, end - start);
        if (!part.empty() && part != ".") parts.push_back(part);
        start = end + 1;
    }
    return parts;
}

}  // namespace

std::string fd_path(int fd) {
    return "/proc/self/fd/" + std::to_string(fd);
}

unique_fd open_in_root(int root_fd, const std::string& path, int flags) {
    int fd = raw_open_in_root(root_fd, path, flags);
    if (fd < 0) throw_errno("open " + path + " in rootfs");
    return unique_fd(fd);
}

unique_fd try_open_in_root(int root_fd, const std::string& path, int flags) {
    int fd = raw_open_in_root(root_fd, path, flags);
    if (fd < 0) {
        if (errno == ENOENT) return unique_fd();
        throw_errno("open " + path + " in rootfs");
    }
    return unique_fd(fd);
}

unique_fd make_mountpoint(int root_fd, const std::string& path, bool directory) {
    std::vector<std::string> parts = split_components(path);
    unique_fd current = open_in_root(root_fd, "", O_PATH | O_DIRECTORY);
    std::string done = "/";
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const std::string& name = parts[i];
        const bool last = i + 1 == parts.size();
        const std::string sofar = done + name;
        // Each step resolves from the root again (not from `current`), so that a ".." or a
        // symlink in the component is confined by RESOLVE_IN_ROOT exactly like a full lookup.
        unique_fd next(raw_open_in_root(root_fd, sofar, O_PATH));
        if (!next) {
            if (errno != ENOENT) throw_errno("open " + sofar + " in rootfs");
            // Missing: create it in the verified parent. mkdirat/openat on a plain name never
            // follow a symlink out; if a dangling symlink sits here, creation fails (EEXIST)
            // or, for O_CREAT, would follow it, so O_EXCL|O_NOFOLLOW refuses that.
            if (name == "..") throw Error("create " + sofar + " in rootfs: invalid path");
            if (!last || directory) {
                if (::mkdirat(current.get(), name.c_str(), 0755) < 0 && errno != EEXIST)
                    throw_errno("mkdir " + sofar + " in rootfs");
            } else {
                int fd = ::openat(current.get(), name.c_str(),
                                  O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY | O_CLOEXEC, 0644);
                if (fd < 0 && errno != EEXIST) throw_errno("create " + sofar + " in rootfs");
                unique_fd created(fd);
            }
            next = open_in_root(root_fd, sofar, O_PATH);
        }
        struct stat st;
        if (::fstat(next.get(), &st) < 0) throw_errno("stat " + sofar + " in rootfs");
        if (!last && !S_ISDIR(st.st_mode))
            throw Error("mountpoint " + path + ": " + sofar + " is not a directory", ENOTDIR);
        if (last && directory && !S_ISDIR(st.st_mode))
            throw Error("mountpoint " + path + ": not a directory", ENOTDIR);
        if (last && !directory && S_ISDIR(st.st_mode))
            throw Error("mountpoint " + path + ": is a directory (source is a file)", EISDIR);
        current = std::move(next);
        done = sofar + "/";
    }
    return current;
}

}  // namespace hull::bundle
