// create in two steps: plan_create reads and checks the bundle (and an extension that claims
// the container adjusts its config); build_container makes the container from the plan. A
// system container's supervisor keeps the plan and builds from it again at every reboot.
#pragma once

#include <any>
#include <functional>
#include <optional>
#include <string>

#include "runtime/container_dir.hpp"
#include "runtime/container_record.hpp"
#include "runtime/lifecycle.hpp"
#include "runtime/security/lsm.hpp"
#include "spec/config.hpp"

namespace hull::runtime {

struct CreatePlan {
    std::string bundle;       // absolute
    std::string config_text;  // config.json as the user wrote it
    spec::Config config;      // parsed, validated, adjusted for a system container
    std::string rootfs;       // absolute
    security::LsmState lsms;
    // Set when an extension (container_extension.hpp) claimed the container:
    const ContainerExtension* extension = nullptr;
    std::any extension_plan;                    // what it keeps (a system container's plan)
    std::optional<SystemRecord> system_record;  // the record's part it fills
    // init's pty is not made its controlling terminal: a supervisor holds the console.
    bool console_held_by_supervisor = false;
    // Socket activation: fds 3 .. 3+listen_fds-1 of hull go to the process first.
    int listen_fds = 0;
    // `run` and a supervisor start the container right after create: init keeps the pages
    // of code it ran during setup instead of giving them back while it waits for start.
    bool start_follows = false;
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
