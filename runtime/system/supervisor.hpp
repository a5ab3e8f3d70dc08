// A system container's supervisor ("[hull monitor] ROOT ID"): the parent of init for the
// container's whole life. `hull create --system-container` forks it; it builds the container
// (so init is its child), reports back, and stays: it holds the console (console_hub.hpp),
// reaps init, and when init was killed by SIGHUP in its pid namespace (reboot(2)) builds the
// container again from the same plan; any other end (halt, poweroff, exit, SIGKILL) ends it.
#pragma once

#include <functional>

#include "runtime/create_plan.hpp"

namespace hull::runtime::system {

// How the core makes the container from the plan, keeping its console (create.cpp's
// build_container): the supervisor calls it for the first boot and, with the existing
// directory, for every reboot. Passed in, so that system containers build on the core and
// the core does not call back into them.
using BuildContainer = std::function<CreatedContainer(const CreatePlan& plan, RebootOf* reboot)>;

// Returns once the container is created (status "created"), or throws the reason it could
// not be; in both cases nothing but the supervisor (on success) is left running.
void create_supervised(Context& ctx, const CreateOptions& options, CreatePlan plan,
                       BuildContainer build);

}  // namespace hull::runtime::system
