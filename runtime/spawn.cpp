#include "runtime/spawn.hpp"

#include <linux/sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include "base/error.hpp"
#include "base/syscalls.hpp"
#include "runtime/console.hpp"

#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif

namespace hull::runtime {

Spawned spawn_process(std::uint64_t namespaces, int cgroup_fd, const std::string& what) {
    struct clone_args args {};
    int fd = -1;
    args.flags = CLONE_PIDFD | namespaces;
    args.pidfd = reinterpret_cast<std::uint64_t>(&fd);
    args.exit_signal = SIGCHLD;
    if (cgroup_fd >= 0) {
        args.flags |= CLONE_INTO_CGROUP;
        args.cgroup = static_cast<std::uint64_t>(cgroup_fd);
    }
    pid_t pid = sys::clone3(&args);
    if (pid < 0) throw_errno("clone3 " + what);
    Spawned spawned;
    spawned.pid = pid;
    if (pid > 0) spawned.pidfd.reset(fd);
    return spawned;
}

void close_parent_fds(const SpawnRequest& request) {
    for (int fd : request.close_in_child)
        if (fd >= 0) ::close(fd);
}

void kill_and_reap(pid_t pid, int pidfd) {
    sys::pidfd_send_signal(pidfd, SIGKILL);
    int status;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
}

void become_namespace_root(const std::vector<spec::IdMapping>& uid_mappings) {
    for (const auto& m : uid_mappings)
        if (m.container_id == 0) {
            if (::setresgid(0, 0, 0) < 0) throw_errno("setresgid(0) in user namespace");
            if (::setresuid(0, 0, 0) < 0) throw_errno("setresuid(0) in user namespace");
            return;
        }
}

void deliver_console(SyncMessage& msg, const std::string& console_socket, unique_fd* keep) {
    if (keep)
        *keep = std::move(msg.fd);
    else
        send_console_fd(console_socket, msg.fd.get(), msg.payload);
}

}  // namespace hull::runtime
