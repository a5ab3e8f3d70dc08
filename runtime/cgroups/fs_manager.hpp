// What both drivers share: the list of hierarchies, directory creation and removal, process
// membership and persistence. The v1 and v2 drivers add resources, freezing and stats.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "runtime/cgroups/hierarchy.hpp"
#include "runtime/cgroups/manager.hpp"

namespace hull::cgroups {

class FsManager : public Manager {
  public:
    FsManager(Layout layout, std::string cgroup_path, std::vector<Hierarchy> hierarchies,
              Logger& log)
        : layout_(layout),
          path_(std::move(cgroup_path)),
          hier_(std::move(hierarchies)),
          log_(log) {}

    void create() override;
    void add_process(pid_t pid) override;
    std::vector<pid_t> pids() override;
    void destroy() override;
    std::string describe() const override;
    std::unique_ptr<Manager> sub_cgroup(const SubCgroupPaths& paths) override;

    Layout layout() const { return layout_; }
    const std::string& cgroup_path() const { return path_; }
    const std::vector<Hierarchy>& hierarchies() const { return hier_; }

  protected:
    // Called after the directories of h exist (cpuset initialisation, v2 controller enabling).
    virtual void after_mkdir(Hierarchy& h) = 0;

    // kill_all's common part: sig to every process, with the cgroup frozen meanwhile when
    // can_freeze (and not frozen already), so that nothing forks between reading the pid list
    // and signalling it.
    void signal_all_frozen(int sig, bool can_freeze);

    Hierarchy* find(const std::string& controller);
    Hierarchy* unified();  // the cgroup2 hierarchy (v2, or hybrid's unified mount); may be null

    Layout layout_;
    std::string path_;
    std::vector<Hierarchy> hier_;
    Logger& log_;
};

// Builds the driver for a layout (used by open_manager and manager_from_json).
std::unique_ptr<Manager> make_manager(Layout layout, std::string cgroup_path,
                                      std::vector<Hierarchy> hierarchies, Logger& log);

// Polls check() until it returns true, sleeping between tries; false after about limit_ms.
bool wait_until(const std::function<bool()>& check, int limit_ms);

}  // namespace hull::cgroups
