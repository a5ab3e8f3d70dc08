// The container's init: the clone of `hull create` that sets the container up from inside
// its namespaces, blocks on exec.fifo, and on `hull start` execs the user process.
#pragma once

#include <cstddef>
#include <map>
#include <string>

#include "base/log.hpp"
#include "runtime/cgroups/manager.hpp"
#include "runtime/namespaces.hpp"
#include "runtime/security/lsm.hpp"
#include "runtime/sync_channel.hpp"
#include "spec/config.hpp"

namespace hull::runtime {

struct InitRequest {
    const spec::Config* config = nullptr;
    std::string id;
    std::string bundle;
    std::string rootfs;
    // The state directory, opened O_PATH by the parent: init opens exec.fifo relative to it,
    // needing neither the (0700) state root nor /proc after pivot_root.
    int state_dir_fd = -1;
    NamespacePlan plan;
    bool no_pivot = false;
    bool no_new_keyring = false;
    bool system_init = false;  // a system container's init: no controlling terminal
    int preserve_fds = 0;
    bool listen_pid = false;                   // socket activation: set LISTEN_PID at execve
    int close_in_child[4] = {-1, -1, -1, -1};  // the parent's fds the child must drop at once
    const Logger* log = nullptr;
    cgroups::Manager* cgroup = nullptr;  // init joins it itself, first thing
    // Detected by create on the host: inside the container /sys may not show the LSMs.
    security::LsmState lsms;
    // Idmapped bind mounts prepared by the parent (config.mounts index -> detached tree fd):
    // inside a user namespace init may not make them itself.
    std::map<std::size_t, int> premade_trees;
};

// Runs in the child right after clone3; never returns.
[[noreturn]] void run_container_init(const InitRequest& request, SyncChannel& channel);

}  // namespace hull::runtime
