// A system container's supervisor ("[hull monitor] ROOT ID"): the parent of init for the
// container's whole life. `hull create --system-container` forks it; it builds the container
// (so init is its child), reports back, and stays: it holds the console (console_hub.hpp),
// reaps init, and when init was killed by SIGHUP in its pid namespace (reboot(2)) builds the
// container again from the same plan; any other end (halt, poweroff, exit, SIGKILL) ends it.
#pragma once

#include "runtime/create_plan.hpp"
#include "runtime/system/system_config.hpp"

namespace hull::system_container {

// Returns once the container is created (status "created"), or throws the reason it could
// not be; in both cases nothing but the supervisor (on success) is left running.
void create_supervised(runtime::Context& ctx, const runtime::CreateOptions& options,
                       runtime::CreatePlan plan, runtime::BuildContainer build);

}  // namespace hull::system_container
