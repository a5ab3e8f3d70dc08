// The driver for pure cgroup v2 hosts: one directory, controllers enabled down the path,
// devices through an eBPF program.
#pragma once

#include "base/unique_fd.hpp"
#include "runtime/cgroups/fs_manager.hpp"

namespace hull::cgroups {

class V2Manager : public FsManager {
  public:
    using FsManager::FsManager;

    void apply(const spec::Resources& resources) override;
    void freeze() override;
    void thaw() override;
    bool frozen() override;
    void kill_all(int sig) override;
    Stats stats() override;
    int cgroup_fd_for_clone() override;
    void join_self() override {}  // CLONE_INTO_CGROUP covers the one hierarchy

  protected:
    void after_mkdir(Hierarchy& h) override;

  private:
    Hierarchy& dir() { return hier_.front(); }
    void apply_memory(const spec::MemoryResources& m);
    void apply_cpu(const spec::CpuResources& c);
    void apply_block_io(const spec::BlockIoResources& b);
    void set_frozen(bool frozen);

    unique_fd dir_fd_;
};

// The controllers hull turns on for a container cgroup when the parent offers them.
const std::vector<std::string>& v2_wanted_controllers();

}  // namespace hull::cgroups
