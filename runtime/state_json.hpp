// The OCI state of a container as JSON: compact for hooks' stdin, pretty for `hull state`.
#pragma once

#include <string>

#include "runtime/container_record.hpp"

namespace hull::runtime {

// One line, as a hook reads it on stdin.
std::string hook_state_json(const ContainerRecord& record, const std::string& status);

}  // namespace hull::runtime
