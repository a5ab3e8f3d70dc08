// A container's OCI state (spec/state.hpp writes it): what `hull state` prints and hooks
// read, from hull's record and the status derived for it.
#pragma once

#include <sys/types.h>

#include <string>

#include "runtime/container_record.hpp"
#include "runtime/status.hpp"
#include "spec/state.hpp"

namespace hull::runtime {

// pid only while the container is not stopped, as runc reports it.
spec::State oci_state(const ContainerRecord& record, Status status);

// One line, as a hook reads it on stdin.
std::string hook_state_json(const ContainerRecord& record, Status status);
// The same from a state built earlier, with this status and pid (init's view: the pid of
// the container's namespace for its own hooks, the host's for a seccomp agent).
std::string hook_state_json(spec::State state, Status status, pid_t pid);

}  // namespace hull::runtime
