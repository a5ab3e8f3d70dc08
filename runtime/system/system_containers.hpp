// System containers as the core sees them: the one ContainerExtension (container_extension.hpp)
// hull links in. It claims a bundle asked to boot as a system container (--system-container or
// the annotation), adjusts its config, creates it under a supervisor that outlives `hull
// create`, attaches `hull run` to its console, and halts it gracefully on `hull delete`.
#pragma once

#include "runtime/container_extension.hpp"
#include "runtime/system/system_config.hpp"

namespace hull::runtime::system {

class SystemContainers final : public ContainerExtension {
  public:
    // flags: create's and run's --system-container, --console-buffer, --reboot-limit.
    explicit SystemContainers(SystemFlags flags) : flags_(flags) {}

    bool claims(const spec::Config& config) const override;
    void plan(Context& ctx, const CreateOptions& options, CreatePlan& plan) const override;
    void create(Context& ctx, const CreateOptions& options, CreatePlan plan,
                BuildContainer build) const override;
    int run(Context& ctx, const CreateOptions& options, CreatePlan plan, const RunFlags& flags,
            BuildContainer build) const override;
    std::function<void()> before_kill(Context& ctx, const ContainerRecord& record, Status status,
                                      int timeout_s) const override;

  private:
    SystemFlags flags_;
};

}  // namespace hull::runtime::system
