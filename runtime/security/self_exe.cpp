#include "runtime/security/self_exe.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>

#include "base/error.hpp"
#include "base/syscalls.hpp"

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif

extern char** environ;

namespace hull::security {

namespace {

// Set across the re-exec so that a copy that still is not protected fails instead of looping.
constexpr const char* kReexecMarker = "_HULL_PROTECTED_EXE";
constexpr const char* kChoiceVariable = "HULL_EXE_PROTECTION";

unique_fd open_for_reading(const std::string& path) {
    unique_fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) throw_errno("open " + path);
    return fd;
}

bool sealed_against_writes(int fd) {
    const int seals = ::fcntl(fd, F_GET_SEALS);
    constexpr int needed = F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL;
    return seals >= 0 && (seals & needed) == needed;
}

// The bind mount is detached from every mount namespace: once the open_tree fd is closed at
// exec it is dissolved, so nobody can remount it read-write (that needs it in their namespace).
unique_fd read_only_bind(const std::string& path) {
    unique_fd tree(sys::open_tree(AT_FDCWD, path.c_str(), OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC));
    if (!tree) throw_errno("bind " + path + " (open_tree)");
    sys::mount_attr attr{};
    attr.attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOSUID;
    if (sys::mount_setattr(tree.get(), "", AT_EMPTY_PATH, &attr) < 0)
        throw_errno("make the bind mount of " + path + " read-only");
    return tree;
}

unique_fd sealed_memfd(const std::string& path) {
    unique_fd source = open_for_reading(path);
    struct stat st {};
    if (::fstat(source.get(), &st) < 0) throw_errno("stat " + path);

    // MFD_EXEC states the intent where vm.memfd_noexec asks for it; older kernels reject it.
    unique_fd copy(::memfd_create("hull", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC));
    if (!copy && errno == EINVAL)
        copy.reset(::memfd_create("hull", MFD_CLOEXEC | MFD_ALLOW_SEALING));
    if (!copy) throw_errno("memfd_create for a copy of hull");
    for (off_t left = st.st_size; left > 0;) {
        const ssize_t n = ::sendfile(copy.get(), source.get(), nullptr, static_cast<size_t>(left));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw_errno("copy hull into a memfd");
        if (n == 0) throw Error("copy hull into a memfd: " + path + " ended early");
        left -= n;
    }
    if (::fcntl(copy.get(), F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) <
        0)
        throw_errno("seal the memfd copy of hull");
    return copy;
}

}  // namespace

bool cannot_be_written(int fd) {
    if (sealed_against_writes(fd)) return true;
    struct statvfs vfs {};
    if (::fstatvfs(fd, &vfs) < 0) throw_errno("statvfs of an executable");
    return (vfs.f_flag & ST_RDONLY) != 0;
}

bool self_exe_is_protected() {
    return cannot_be_written(open_for_reading("/proc/self/exe").get());
}

unique_fd protected_copy(const std::string& path, ExeCopy how) {
    return how == ExeCopy::read_only_bind ? read_only_bind(path) : sealed_memfd(path);
}

void ensure_protected_self_exe(char** argv) {
    const bool reexecuted = std::getenv(kReexecMarker) != nullptr;
    if (reexecuted) ::unsetenv(kReexecMarker);
    if (self_exe_is_protected()) return;
    if (reexecuted)
        throw Error(
            "hull re-executed itself from a protected copy, yet /proc/self/exe is still "
            "writable; refusing to let a container reach it (CVE-2019-5736)");

    const char* choice = std::getenv(kChoiceVariable);
    const std::string wanted = choice ? choice : "bind";
    unique_fd exe;
    if (wanted == "bind") {
        try {
            exe = protected_copy("/proc/self/exe", ExeCopy::read_only_bind);
        } catch (const Error&) {
            // No mount API, or no CAP_SYS_ADMIN over our mount namespace: copy instead.
            exe = protected_copy("/proc/self/exe", ExeCopy::sealed_memfd);
        }
    } else if (wanted == "memfd") {
        exe = protected_copy("/proc/self/exe", ExeCopy::sealed_memfd);
    } else {
        throw Error(std::string(kChoiceVariable) + " must be \"bind\" or \"memfd\", not \"" +
                    wanted + "\"");
    }

    ::setenv(kReexecMarker, "1", 1);
    sys::execveat(exe.get(), "", argv, environ, AT_EMPTY_PATH);
    const int err = errno;
    ::unsetenv(kReexecMarker);
    throw_errno("re-execute hull from its protected copy", err);
}

}  // namespace hull::security
