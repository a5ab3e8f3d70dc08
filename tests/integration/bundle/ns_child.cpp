#include "ns_child.hpp"

#include <fcntl.h>
#include <ftw.h>
#include <sched.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <exception>
#include <stdexcept>
#include <vector>

#include "base/error.hpp"
#include "base/file.hpp"
#include "base/unique_fd.hpp"

namespace hull::bundle::test {
namespace {

int remove_entry(const char* path, const struct stat* /*st*/, int type, struct FTW* /*ftw*/) {
    if (type == FTW_DP) {
        ::rmdir(path);
    } else {
        ::unlink(path);
    }
    return 0;
}

int wait_exit(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void write_fd(int fd, const std::string& s) {
    std::size_t off = 0;
    while (off < s.size()) {
        ssize_t n = ::write(fd, s.data() + off, s.size() - off);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        off += static_cast<std::size_t>(n);
    }
}

// Child side: runs fn, reports through fd, never returns.
[[noreturn]] void run_fn(const std::function<int(std::string&)>& fn, int report_fd) {
    std::string message;
    int code = 100;
    try {
        code = fn(message);
    } catch (const std::exception& e) {
        message += std::string("exception: ") + e.what() + "\n";
    } catch (...) {
        message += "unknown exception\n";
    }
    write_fd(report_fd, message);
    ::_exit(code);
}

[[noreturn]] void child_main(const std::function<int(std::string&)>& fn, bool new_pid, bool user_ns,
                             int extra_unshare, int report_fd, int sync_read, int sync_write) {
    if (user_ns) {
        if (::unshare(CLONE_NEWUSER) < 0) {
            write_fd(report_fd, "unshare(CLONE_NEWUSER) failed\n");
            ::_exit(101);
        }
        // The parent writes our maps (it has CAP_SETUID in the parent namespace), then answers.
        char c = 'u';
        if (::write(sync_write, &c, 1) != 1 || ::read(sync_read, &c, 1) != 1 || c != 'm') {
            write_fd(report_fd, "user namespace map handshake failed\n");
            ::_exit(101);
        }
    }
    if (::unshare(CLONE_NEWNS | (new_pid ? CLONE_NEWPID : 0) | extra_unshare) < 0) {
        write_fd(report_fd, "unshare failed\n");
        ::_exit(101);
    }
    if (!new_pid) run_fn(fn, report_fd);
    pid_t pid = ::fork();
    if (pid < 0) ::_exit(102);
    if (pid == 0) run_fn(fn, report_fd);
    int code = wait_exit(pid);
    ::_exit(code < 0 ? 103 : code);
}

}  // namespace

TempDir::TempDir() {
    char tmpl[] = "/tmp/hull-bundle-test-XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
}

TempDir::~TempDir() {
    // FTW_MOUNT: stay on this filesystem, so nothing mounted inside is ever descended into.
    ::nftw(path_.c_str(), remove_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

BusyboxBundle::BusyboxBundle() {
    bundle = dir.path() + "/bundle";
    rootfs = bundle + "/rootfs";
    for (const std::string& d : {bundle, rootfs, rootfs + "/bin", rootfs + "/proc", rootfs + "/dev",
                                 rootfs + "/sys", rootfs + "/tmp", rootfs + "/etc"}) {
        if (::mkdir(d.c_str(), 0755) < 0) throw std::runtime_error("mkdir " + d);
    }
    std::string busybox = read_file("/bin/busybox");
    write_file(rootfs + "/bin/busybox", busybox, 0755);
    ::chmod((rootfs + "/bin/busybox").c_str(), 0755);
}

ChildResult run_in_child(const std::function<int(std::string&)>& fn, bool new_pid, bool user_ns,
                         int extra_unshare) {
    int report[2];
    int to_child[2];
    int to_parent[2];
    if (::pipe2(report, O_CLOEXEC) < 0 || ::pipe2(to_child, O_CLOEXEC) < 0 ||
        ::pipe2(to_parent, O_CLOEXEC) < 0)
        throw std::runtime_error("pipe failed");
    unique_fd report_read(report[0]), report_write(report[1]);
    unique_fd child_read(to_child[0]), child_write(to_child[1]);
    unique_fd parent_read(to_parent[0]), parent_write(to_parent[1]);

    pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        child_main(fn, new_pid, user_ns, extra_unshare, report_write.get(), child_read.get(),
                   parent_write.get());
    }
    report_write.reset();
    parent_write.reset();
    child_read.reset();

    ChildResult result;
    if (user_ns) {
        char c = 0;
        if (::read(parent_read.get(), &c, 1) == 1 && c == 'u') {
            const std::string proc = "/proc/" + std::to_string(pid);
            try {
                write_file(proc + "/uid_map", "0 0 65536\n");
                write_file(proc + "/gid_map", "0 0 65536\n");
                c = 'm';
            } catch (const std::exception& e) {
                result.message += std::string("writing maps: ") + e.what() + "\n";
                c = 'x';
            }
            if (::write(child_write.get(), &c, 1) != 1) result.message += "sync write failed\n";
        }
    }
    char buf[4096];
    for (;;) {
        ssize_t n = ::read(report_read.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        result.message.append(buf, static_cast<std::size_t>(n));
    }
    result.exit_code = wait_exit(pid);
    return result;
}

bool expect(bool ok, const std::string& what, std::string& message) {
    if (!ok) message += "FAILED: " + what + "\n";
    return ok;
}

std::string read_mountinfo_self() {
    return read_file("/proc/self/mountinfo");
}

void write_text(const std::string& path, const std::string& data) {
    write_file(path, data);
}

}  // namespace hull::bundle::test
