// One integration test's world: a temp dir with its own hull --root, a snapshot of the host
// taken at the start, and forced cleanup of every container at the end, pass or fail.
#pragma once

#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "busybox_bundle.hpp"
#include "command.hpp"
#include "host_snapshot.hpp"
#include "temp_dir.hpp"

namespace hull::test {

class HullEnv {
  public:
    HullEnv();
    ~HullEnv();
    HullEnv(const HullEnv&) = delete;
    HullEnv& operator=(const HullEnv&) = delete;

    const std::string& root() const { return root_; }
    const TempDir& dir() const { return tmp_; }

    // hull --root <root> args...
    CommandResult hull(const std::vector<std::string>& args, const CommandOptions& options = {});
    // A fresh busybox bundle at <tmp>/<name>.
    BusyboxBundle bundle(const std::string& name = "bundle",
                         const std::vector<std::string>& args = {"/bin/true"});
    // `hull run` of the bundle in the foreground, its id derived from the bundle name.
    CommandResult run(BusyboxBundle& bundle, const std::string& id = "c1");
    // The live status from `hull state`, or "" when hull says there is no such container.
    std::string status(const std::string& id);
    int pid(const std::string& id);
    // Polls `hull state` until status matches (bounded: fails the test after ~20 s).
    bool wait_status(const std::string& id, const std::string& status);

    // Remembers a container id made outside hull() (e.g. through run_command), so that its
    // cgroup is checked by leaks().
    void track(const std::string& id) {
        std::lock_guard lock(ids_mutex_);
        ids_.insert(id);
    }

    // Everything left behind since construction (after deleting all containers).
    std::string leaks();

  private:
    TempDir tmp_;
    std::string root_;
    HostSnapshot before_;
    // hull() runs on many threads at once in the concurrency tests.
    std::mutex ids_mutex_;
    std::set<std::string> ids_;
};

}  // namespace hull::test
