// The one way hull makes a container's process, for init (create) and for exec (exec):
// clone3 with a pidfd, straight into the container's cgroup (and, for init, into new
// namespaces); the child's first step in a user namespace; and the parent's side of what
// the child hands back (its terminal) or of a child that must not outlive a failed command.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "base/unique_fd.hpp"
#include "runtime/cgroups/manager.hpp"
#include "runtime/process_launch.hpp"
#include "runtime/sync_channel.hpp"
#include "spec/config.hpp"

namespace hull::runtime {

// What create and exec hand the child they spawn: built once by the parent before the clone,
// read by the child from its copy of the parent's memory. The child adds to `launch` only
// what it alone can open (its procfs handle, its seccomp agent's state, init's hooks).
struct SpawnRequest {
    const spec::Config* config = nullptr;
    const spec::Process* process = nullptr;  // config's for init, exec's own for exec
    // Joined first thing (the v1 hierarchies; cgroup2 comes with CLONE_INTO_CGROUP).
    cgroups::Manager* cgroup = nullptr;
    std::vector<int> close_in_child;  // the parent's fds the child must drop at once
    LaunchOptions launch;             // its log is the child's too
};

// The child's first step: drop the parent's fds it must not hold.
void close_parent_fds(const SpawnRequest& request);

struct Spawned {
    pid_t pid = 0;  // 0 in the child
    unique_fd pidfd;
};

// clone3(CLONE_PIDFD | namespaces), and CLONE_INTO_CGROUP when cgroup_fd >= 0, so that the
// child runs its first instruction under the container's limits. what names the process in
// the error.
Spawned spawn_process(std::uint64_t namespaces, int cgroup_fd, const std::string& what);

// SIGKILL through the pidfd, then reaps the child (which must be ours).
void kill_and_reap(pid_t pid, int pidfd);

// In a new user namespace a process starts as whatever its host uid maps to: it becomes the
// namespace's root when root is mapped, as every container process expects to start as root.
void become_namespace_root(const std::vector<spec::IdMapping>& uid_mappings);

// The pty master a child reported (SyncType::console): kept when keep is given (the caller
// relays the terminal itself), else sent to console_socket as containerd and conmon expect.
void deliver_console(SyncMessage& msg, const std::string& console_socket, unique_fd* keep);

}  // namespace hull::runtime
