// The container state (runtime.md "State"): the one writer of its JSON, for `hull state`, for
// hooks' stdin and for the state members of hull's own record.
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <map>
#include <string>

namespace hull::spec {

struct State {
    std::string oci_version;
    std::string id;
    std::string status;  // creating | created | running | stopped
    int pid = 0;
    std::string bundle;
    std::map<std::string, std::string> annotations;
    // runc's extra members, kept for tools that read them.
    std::string rootfs;
    std::string created;  // RFC 3339, UTC
    std::string owner;

    bool operator==(const State&) const = default;
};

// runc writes the state in two layouts, and hull in the same two:
// - command: `runc state`'s (pretty-printed with a 2-space indent) and `runc list`'s (one
//   object per container): pid before status, always, even 0 once stopped; then runc's
//   extras rootfs and created, annotations when there are some, and owner;
// - hook: one line on a hook's stdin, only runtime.md's members in its order (ociVersion,
//   id, status, pid, bundle, annotations), pid when there is one or runtime.md makes it
//   REQUIRED (created, running).
enum class StateLayout { command, hook };

std::string state_to_json(const State& state, StateLayout layout);

// The members into an object the caller has started and will end (the record, `hull list`).
void write_state_members(rapidjson::Writer<rapidjson::StringBuffer>& w, const State& state,
                         StateLayout layout);

}  // namespace hull::spec
