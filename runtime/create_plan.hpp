// create in two steps: plan_create reads and checks the bundle (and, for a system container,
// adjusts its config); build_container makes the container from the plan. A system
// container's supervisor keeps the plan and builds from it again at every reboot.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "runtime/container_dir.hpp"
#include "runtime/container_record.hpp"
#include "runtime/lifecycle.hpp"
#include "runtime/security/lsm.hpp"
#include "runtime/system/system_config.hpp"
#include "spec/config.hpp"

namespace hull::runtime {

struct CreatePlan {
    std::string bundle;       // absolute
    std::string config_text;  // config.json as the user wrote it
    spec::Config config;      // parsed, validated, adjusted for a system container
    std::string rootfs;       // absolute
    security::LsmState lsms;
    std::optional<system::SystemPlan> system;  // only for a system container
    // Socket activation: fds 3 .. 3+listen_fds-1 of hull go to the process first.
    int listen_fds = 0;
};

// A reboot builds into the container's existing directory (locked by the caller).
struct RebootOf {
    ContainerDir& dir;
    const ContainerRecord& previous;
};

CreatePlan plan_create(Context& ctx, const CreateOptions& options);

CreatedContainer build_container(Context& ctx, const CreateOptions& options, const CreatePlan& plan,
                                 bool keep_console, RebootOf* reboot);

// How a system container's supervisor (system/supervisor.hpp) makes the container from the
// plan: for the first boot and, with the existing directory, for every reboot. Passed to it,
// so that system containers build on the core and the core does not call back into them.
using BuildContainer = std::function<CreatedContainer(const CreatePlan& plan, RebootOf* reboot)>;

// build_container with the console kept, as the supervisor holds it.
BuildContainer supervised_build(Context& ctx, const CreateOptions& options);

}  // namespace hull::runtime
