#include "runtime/system/init_discovery.hpp"

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string_view>

#include "base/error.hpp"
#include "bundle/safe_path.hpp"

namespace hull::system_container {

namespace {

unique_fd open_rootfs(const std::string& rootfs) {
    unique_fd fd(::open(rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!fd) throw_errno("open rootfs " + rootfs);
    return fd;
}

bool is_executable_file(int fd) {
    struct stat st {};
    return ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111) != 0;
}

// The final component of the path the fd was opened as, e.g. "systemd" for /sbin/init ->
// /lib/systemd/systemd.
std::string resolved_name(int fd) {
    char buf[PATH_MAX];
    ssize_t n = ::readlink(bundle::fd_path(fd).c_str(), buf, sizeof buf - 1);
    if (n <= 0) return "";
    std::string path(buf, static_cast<std::size_t>(n));
    return path.substr(path.rfind('/') + 1);
}

// Whether the first few MiB of the binary contain the marker (inits are small; systemd's
// marker strings sit in its .rodata well within that).
bool binary_contains(int path_fd, std::string_view marker) {
    unique_fd fd(::open(bundle::fd_path(path_fd).c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return false;
    constexpr std::size_t kLimit = 8 << 20;
    std::string window;
    char buf[65536];
    std::size_t total = 0;
    for (ssize_t n; total < kLimit && (n = ::read(fd.get(), buf, sizeof buf)) > 0;) {
        total += static_cast<std::size_t>(n);
        // Keep a tail so that a marker split across two reads is still found.
        std::size_t keep = std::min(window.size(), marker.size());
        window.erase(0, window.size() - keep);
        window.append(buf, static_cast<std::size_t>(n));
        if (window.find(marker) != std::string::npos) return true;
    }
    return false;
}

}  // namespace

std::string discover_init(const std::string& rootfs) {
    unique_fd root = open_rootfs(rootfs);
    for (const char* candidate : kInitCandidates) {
        unique_fd fd = bundle::try_open_in_root(root.get(), candidate, O_PATH);
        if (fd && is_executable_file(fd.get())) return candidate;
    }
    std::string names;
    for (const char* candidate : kInitCandidates)
        names += std::string(names.empty() ? "" : ", ") + candidate;
    throw Error("config.json: /process/args: empty, and no init found in the rootfs (tried " +
                names + ")");
}

InitFlavor detect_init_flavor(const std::string& rootfs, const std::string& init) {
    unique_fd root = open_rootfs(rootfs);
    unique_fd fd = bundle::try_open_in_root(root.get(), init, O_PATH);
    if (!fd) return InitFlavor::unknown;
    std::string name = resolved_name(fd.get());
    if (name == "systemd") return InitFlavor::systemd;
    if (name == "busybox") return InitFlavor::busybox;
    // A renamed or copied binary: tell by what it contains.
    if (binary_contains(fd.get(), "SYSTEMD_")) return InitFlavor::systemd;
    if (binary_contains(fd.get(), "BusyBox v")) return InitFlavor::busybox;
    if (binary_contains(fd.get(), "INIT_VERSION=sysvinit")) return InitFlavor::sysvinit;
    return InitFlavor::unknown;
}

int halt_signal(InitFlavor flavor) {
    switch (flavor) {
        case InitFlavor::systemd:
            return SIGRTMIN + 3;
        case InitFlavor::busybox:
            return SIGUSR2;
        case InitFlavor::sysvinit:
        case InitFlavor::unknown:
            break;
    }
    return SIGPWR;
}

const char* flavor_name(InitFlavor flavor) {
    switch (flavor) {
        case InitFlavor::systemd:
            return "systemd";
        case InitFlavor::busybox:
            return "busybox";
        case InitFlavor::sysvinit:
            return "sysvinit";
        case InitFlavor::unknown:
            break;
    }
    return "unknown";
}

}  // namespace hull::system_container
