// A container between invocations: its directory, its record, its cgroup, and the one place
// its status is derived. Every command starts from Container::open (or peek, for the
// lock-free readers), so that what "running" or "stopped" means is decided here alone.
//
// The status is derived from the live system, never trusted from disk: init alive and
// exec.fifo present = created; alive, no fifo = running (paused when its cgroup is frozen);
// init gone, a zombie, a different process under its pid, or a create that never finished =
// stopped.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "base/unique_fd.hpp"
#include "runtime/cgroups/manager.hpp"
#include "runtime/container_dir.hpp"
#include "runtime/container_record.hpp"
#include "runtime/context.hpp"
#include "runtime/status.hpp"

namespace hull::runtime {

class Container {
  public:
    // Opens and locks <root>/<id> and loads its record and cgroup. Throws "container does
    // not exist: ID".
    static Container open(Context& ctx, const std::string& id);
    // The same for a directory the caller has already opened (and locked).
    static Container load(Context& ctx, ContainerDir dir);
    // `hull state` and `hull list` read without the lock (the record is replaced atomically):
    // nullopt when there is no such container or it is still being created. The cgroup is
    // reopened only if the status needs it (a live init without exec.fifo: running or paused),
    // so that `list` reads N records without building N cgroup managers. A cgroup that cannot
    // be reopened leaves the status to the process alone.
    static std::optional<Container> peek(Context& ctx, const std::string& id);

    const std::string& id() const { return record_.id; }
    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }
    ContainerRecord& record() { return record_; }
    const ContainerRecord& record() const { return record_; }
    // nullptr when none was recorded (or, for peek, when it cannot be reopened).
    cgroups::Manager* cgroup() const;
    // The locked directory; only for a container from open or load.
    ContainerDir& dir();

    Status status() const;
    // Records a new status (only creating, created, running and stopped are ever written).
    void save(Status status);
    // init's pidfd, verified against its start time; invalid when init is gone.
    unique_fd init_pidfd() const;
    // `hull kill`: sig to init, or with all to every process in the cgroup (also when
    // stopped, to reach what init left). A paused container is thawed for SIGKILL, which a
    // frozen task only acts on once thawed.
    void signal(int sig, bool all);
    // SIGKILL to init, and waits (10 s at most) for it to exit; the rest of the cgroup is
    // destroy()'s to kill.
    void kill_init();

  private:
    Container(std::string path, ContainerRecord record, std::unique_ptr<cgroups::Manager> cgroup,
              std::optional<ContainerDir> dir, Logger* reopen_with = nullptr)
        : path_(std::move(path)),
          record_(std::move(record)),
          cgroup_(std::move(cgroup)),
          reopen_with_(reopen_with),
          dir_(std::move(dir)) {}

    std::string path_;
    ContainerRecord record_;
    // Reopened on first use when reopen_with_ is set (peek).
    mutable std::unique_ptr<cgroups::Manager> cgroup_;
    mutable Logger* reopen_with_ = nullptr;
    std::optional<ContainerDir> dir_;  // empty for peek
};

// The container's cgroup manager as recorded at create, or nullptr when none was recorded.
std::unique_ptr<cgroups::Manager> reopen_cgroup(const ContainerRecord& record, Logger& log);

}  // namespace hull::runtime
