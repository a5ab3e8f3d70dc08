// The OCI state of a container as JSON: compact for hooks' stdin, pretty for `hull state`.
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>

#include "runtime/container_record.hpp"
#include "runtime/status.hpp"

namespace hull::runtime {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

// The members of runtime.md's state object (ociVersion, id, status, pid, bundle,
// annotations) into an object the caller has started. pid is written when set and, unless
// always_pid (hull's own record keeps it), only while the container is not stopped.
void write_state_members(JsonWriter& w, const ContainerRecord& record, Status status,
                         bool always_pid = false);

// One line, as a hook reads it on stdin.
std::string hook_state_json(const ContainerRecord& record, Status status);

}  // namespace hull::runtime
