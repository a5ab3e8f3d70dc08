// The container state (runtime.md "State"), as `hull state` prints it and as hull stores it.
#pragma once

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

// Pretty-printed with a 2-space indent like `runc state`. pid is written whenever it is
// non-zero and always for created/running (where runtime.md makes it REQUIRED); annotations
// only when there are some.
std::string state_to_json(const State& state);

}  // namespace hull::spec
