// The container cgroup, whatever the host's cgroup layout: one interface, created by
// open_manager(), with a driver for v1/hybrid hosts, one for pure cgroup v2, and the systemd
// driver (systemd_manager.hpp) that has systemd own the cgroup as a scope on pure v2.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "base/log.hpp"
#include "runtime/cgroups/layout.hpp"
#include "runtime/cgroups/stats.hpp"
#include "runtime/cgroups/sub_cgroup.hpp"
#include "spec/config.hpp"

namespace hull::cgroups {

class Manager {
  public:
    virtual ~Manager() = default;

    // mkdir the cgroup directories (idempotent), remembering which ones this manager made.
    virtual void create() = 0;
    // Writes every given field; also `update` on a live container. An unsupported field throws
    // Error naming it ("/linux/resources/memory/swap: ..."); kernel/kernelTCP only warn.
    virtual void apply(const spec::Resources& resources) = 0;
    // Moves pid into the container cgroup of every hierarchy.
    virtual void add_process(pid_t pid) = 0;
    // Every pid in the container cgroup and below.
    virtual std::vector<pid_t> pids() = 0;
    // Freezes/thaws and waits until the kernel reports it done.
    virtual void freeze() = 0;
    virtual void thaw() = 0;
    virtual bool frozen() = 0;
    // Signals every process in the cgroup (kill --all, delete --force).
    virtual void kill_all(int sig) = 0;
    // SIGKILLs what is left, waits until empty (bounded), removes every directory it owns in
    // every hierarchy, deepest first, including parents it made. Safe after a partial create().
    virtual void destroy() = 0;
    virtual Stats stats() = 0;
    // Human-readable layout and directories, for state and debug output.
    virtual std::string describe() const = 0;
    // fd of the cgroup2 directory for clone3(CLONE_INTO_CGROUP), owned by the manager and
    // valid while it lives: the whole cgroup on v2, the unified part on hybrid; -1 on pure v1.
    virtual int cgroup_fd_for_clone() = 0;
    // Moves the calling process, which must be single-threaded, into every hierarchy that
    // cgroup_fd_for_clone() does not cover, by writing "0" to v1 `tasks` files. A task that
    // moves itself is migrated without the global threadgroup lock, whose RCU grace period
    // makes add_process() from another process take 5-15 ms on v1.
    virtual void join_self() = 0;
    // Called by create once init has been cloned into cgroup_fd_for_clone()'s cgroup. The
    // systemd driver ends the placeholder process its scope was started with there.
    virtual void after_clone() {}
    // exec --cgroup: a manager for existing sub-cgroups of this one, used only to place one
    // process (cgroup_fd_for_clone, join_self); it owns no directory. Throws Error naming
    // --cgroup when a sub-cgroup does not exist or a controller is not one of this host's.
    virtual std::unique_ptr<Manager> sub_cgroup(const SubCgroupPaths& paths) = 0;
};

// cgroups_path: linux.cgroupsPath ("" -> "/hull/<id>", or ":hull:<id>" for systemd).
// systemd_requested (--systemd-cgroup) or a "slice:prefix:name" path picks the systemd driver
// (systemd_manager.hpp), which throws Error naming the bus when systemd cannot be reached: it
// never falls back to the cgroupfs driver. Throws Error for a malformed path or a host without
// cgroups.
std::unique_ptr<Manager> open_manager(const std::string& cgroups_path,
                                      const std::string& container_id, bool systemd_requested,
                                      Logger& log);

// Persistence across hull invocations (create stores it in the state dir, later commands reopen
// the very same directories, including which parents the creating invocation made, or the same
// systemd unit).
std::string manager_to_json(const Manager& manager);
std::unique_ptr<Manager> manager_from_json(const std::string& json, Logger& log);

}  // namespace hull::cgroups
