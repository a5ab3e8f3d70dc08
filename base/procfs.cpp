#include "base/procfs.hpp"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <cerrno>

#include "base/error.hpp"
#include "base/file.hpp"
#include "base/syscalls.hpp"

namespace hull {

namespace {
constexpr ino_t kProcRootInode = 1;  // PROC_ROOT_INO in the kernel's fs/proc
}

unique_fd open_procfs(const std::string& path) {
    unique_fd fd(::open(path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW));
    if (!fd) throw_errno("open " + path);
    struct statfs st {};
    if (::fstatfs(fd.get(), &st) < 0) throw_errno("statfs " + path);
    if (st.f_type != PROC_SUPER_MAGIC)
        throw Error(path + " is not on procfs (refusing to use a fake /proc)");
    // A bind mount of a directory inside procfs passes the magic check but is not its root.
    struct stat root {};
    if (::fstat(fd.get(), &root) < 0) throw_errno("stat " + path);
    if (root.st_ino != kProcRootInode) throw Error(path + " is not the root of a procfs mount");
    return fd;
}

unique_fd open_in_procfs(int procfs, const std::string& path, int flags) {
    struct open_how how {};
    how.flags = static_cast<unsigned long long>(flags | O_CLOEXEC | O_NOFOLLOW);
    // self and thread-self are ordinary procfs symlinks: RESOLVE_BENEATH keeps them inside
    // this procfs, and RESOLVE_NO_XDEV refuses anything bind-mounted over a path component.
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV;
    int fd = sys::openat2(procfs, path.c_str(), &how);
    if (fd < 0) throw_errno("open /proc/" + path);
    unique_fd owned(fd);
    struct statfs st {};
    if (::fstatfs(owned.get(), &st) < 0 || st.f_type != PROC_SUPER_MAGIC)
        throw Error("/proc/" + path + " is not on procfs");
    return owned;
}

void write_procfs(int procfs, const std::string& path, const std::string& value) {
    unique_fd fd = open_in_procfs(procfs, path, O_WRONLY);
    write_all(fd.get(), value, "/proc/" + path);
}

std::string read_procfs(int procfs, const std::string& path) {
    unique_fd fd = open_in_procfs(procfs, path, O_RDONLY);
    std::string out;
    char buf[4096];
    for (;;) {
        ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw_errno("read /proc/" + path);
        if (n == 0) return out;
        out.append(buf, static_cast<size_t>(n));
    }
}

void write_procfs(const std::string& path, const std::string& value) {
    write_procfs(open_procfs().get(), path, value);
}

std::string read_procfs(const std::string& path) {
    return read_procfs(open_procfs().get(), path);
}

}  // namespace hull
