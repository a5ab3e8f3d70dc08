// The driver for hosts with v1 controllers (pure v1 and hybrid). On hybrid the cgroup2 mount
// is joined too, and serves `unified` keys and controllers that only it offers (hugetlb here).
#pragma once

#include "base/unique_fd.hpp"
#include "runtime/cgroups/fs_manager.hpp"

namespace hull::cgroups {

class V1Manager : public FsManager {
  public:
    using FsManager::FsManager;

    void apply(const spec::Resources& resources) override;
    void freeze() override;
    void thaw() override;
    bool frozen() override;
    void kill_all(int sig) override;
    Stats stats() override;
    int cgroup_fd_for_clone() override;
    void join_self() override;

  protected:
    void after_mkdir(Hierarchy& h) override;

  private:
    // The hierarchy of a v1 controller, or Error "<field>: the <controller> cgroup controller
    // is not mounted".
    Hierarchy& need(const std::string& controller, const std::string& field);

    void apply_devices(const std::vector<spec::DeviceCgroupRule>& rules);
    void apply_memory(const spec::MemoryResources& m);
    void apply_cpu(const spec::CpuResources& c);
    void apply_block_io(const spec::BlockIoResources& b);
    void apply_hugepages(const std::vector<spec::HugepageLimit>& limits);
    void apply_network(const spec::NetworkResources& n);
    void apply_rdma(const std::map<std::string, spec::RdmaLimit>& rdma);
    void set_freezer(const std::string& state);

    unique_fd unified_fd_;  // hybrid: the container's directory on the cgroup2 mount
};

}  // namespace hull::cgroups
