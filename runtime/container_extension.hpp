// The seam between the core and what builds beside it (system containers:
// runtime/system/system_containers.hpp). The command line hands the core the extension it
// links in (Context::extension); the core calls it at these points only and knows nothing
// else of it. A container is the extension's when it claims it at create; later commands
// find its part of the record (ContainerRecord::system).
#pragma once

#include <functional>

#include "runtime/container_record.hpp"
#include "runtime/create_plan.hpp"
#include "runtime/lifecycle.hpp"
#include "runtime/status.hpp"
#include "spec/config.hpp"

namespace hull::runtime {

class ContainerExtension {
  public:
    virtual ~ContainerExtension() = default;

    // plan_create, once config.json is parsed: whether the container is the extension's. A
    // claimed container may leave process.args empty, for plan to fill.
    virtual bool claims(const spec::Config& config) const = 0;

    // plan_create, once the rootfs is resolved, for a claimed container: check and adjust
    // plan.config, keep what the extension needs in plan.extension_plan, and fill
    // plan.system_record and plan.console_held_by_supervisor.
    virtual void plan(Context& ctx, const CreateOptions& options, CreatePlan& plan) const = 0;

    // create and run of a claimed container, in place of the core's: build makes it.
    virtual void create(Context& ctx, const CreateOptions& options, CreatePlan plan,
                        BuildContainer build) const = 0;
    virtual int run(Context& ctx, const CreateOptions& options, CreatePlan plan,
                    const RunFlags& flags, BuildContainer build) const = 0;

    // delete of a container whose record has the extension's part, before the core kills
    // init (timeout_s: delete's --timeout). Returns what to do once init is dead, before its
    // cgroup and directory go.
    virtual std::function<void()> before_kill(Context& ctx, const ContainerRecord& record,
                                              Status status, int timeout_s) const = 0;
};

}  // namespace hull::runtime
