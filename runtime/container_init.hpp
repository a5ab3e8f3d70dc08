// The container's init: the clone of `hull create` that sets the container up from inside
// its namespaces, blocks on exec.fifo, and on `hull start` execs the user process.
#pragma once

#include "bundle/rootfs.hpp"
#include "runtime/namespaces.hpp"
#include "runtime/spawn.hpp"
#include "runtime/sync_channel.hpp"
#include "spec/state.hpp"

namespace hull::runtime {

// create's request to init, built once before the clone (spawn.hpp).
struct InitRequest {
    SpawnRequest spawn;  // launch: preserve_fds, listen_pid, lsms, log
    // The state directory, opened O_PATH by the parent: init opens exec.fifo relative to it,
    // needing neither the (0700) state root nor /proc after pivot_root.
    int state_dir_fd = -1;
    NamespacePlan plan;
    bool no_new_keyring = false;
    // A supervisor holds the console (a system container): init's pty is not its
    // controlling terminal.
    bool console_held_by_supervisor = false;
    // start comes at once (CreatePlan::start_follows).
    bool start_follows = false;
    // rootfs, bundle dir, --no-pivot, the namespaces it is made in, and the idmapped bind
    // mounts the parent prepared (inside a user namespace init may not make them itself).
    bundle::RootfsOptions rootfs;
    // The state hooks read, but for the pid: init learns its host pid from create's go.
    spec::State state;
};

// Runs in the child right after clone3; never returns.
[[noreturn]] void run_container_init(const InitRequest& request, SyncChannel& channel);

}  // namespace hull::runtime
