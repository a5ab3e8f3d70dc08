// System containers as the core sees them: the one ContainerExtension (container_extension.hpp)
// hull links in. It claims a bundle asked to boot as a system container (--system-container or
// the annotation), adjusts its config, creates it under a supervisor that outlives `hull
// create`, attaches `hull run` to its console, and halts it gracefully on `hull delete`.
#pragma once

#include "runtime/container_extension.hpp"
#include "runtime/system/system_config.hpp"

namespace hull::system_container {

class SystemContainers final : public runtime::ContainerExtension {
  public:
    // flags: create's and run's --system-container, --console-buffer, --reboot-limit.
    explicit SystemContainers(SystemFlags flags) : flags_(flags) {}

    bool claims(const spec::Config& config) const override;
    void plan(runtime::Context& ctx, const runtime::CreateOptions& options,
              runtime::CreatePlan& plan) const override;
    void create(runtime::Context& ctx, const runtime::CreateOptions& options,
                runtime::CreatePlan plan, runtime::BuildContainer build) const override;
    int run(runtime::Context& ctx, const runtime::CreateOptions& options, runtime::CreatePlan plan,
            const runtime::RunFlags& flags, runtime::BuildContainer build) const override;
    std::function<void()> before_kill(runtime::Context& ctx, const runtime::ContainerRecord& record,
                                      runtime::Status status, int timeout_s) const override;

  private:
    SystemFlags flags_;
};

}  // namespace hull::system_container
