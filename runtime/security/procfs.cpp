#include "runtime/security/procfs.hpp"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cerrno>

#include "base/error.hpp"
#include "base/file.hpp"
#include "base/syscalls.hpp"

namespace hull::security {

namespace {

void require_procfs(int fd, const std::string& path) {
    struct statfs st {};
    if (::fstatfs(fd, &st) < 0) throw_errno("fstatfs " + path);
    if (st.f_type != PROC_SUPER_MAGIC) {
        throw Error(path + " is not on procfs (refusing to use a fake /proc)");
    }
}

}  // namespace

unique_fd open_procfs_root() {
    unique_fd root = open_fd("/proc", O_PATH | O_DIRECTORY);
    require_procfs(root.get(), "/proc");
    return root;
}

unique_fd open_procfs_file(const std::string& relative, int flags) {
    unique_fd root = open_procfs_root();
    struct open_how how {};
    how.flags = static_cast<std::uint64_t>(flags | O_CLOEXEC | O_NOFOLLOW);
    // thread-self and self are ordinary procfs symlinks; RESOLVE_BENEATH keeps them inside /proc
    // and RESOLVE_NO_XDEV rejects anything bind-mounted over a path component.
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS;
    int fd = sys::openat2(root.get(), relative.c_str(), &how);
    if (fd < 0) throw_errno("open /proc/" + relative);
    unique_fd file(fd);
    require_procfs(file.get(), "/proc/" + relative);
    return file;
}

std::string read_procfs_file(const std::string& relative) {
    unique_fd fd = open_procfs_file(relative, O_RDONLY);
    std::string out;
    char buf[4096];
    for (;;) {
        ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw_errno("read /proc/" + relative);
        if (n == 0) return out;
        out.append(buf, static_cast<size_t>(n));
    }
}

void write_procfs_file(const std::string& relative, const std::string& data) {
    unique_fd fd = open_procfs_file(relative, O_WRONLY);
    write_all(fd.get(), data, "/proc/" + relative);
}

}  // namespace hull::security
