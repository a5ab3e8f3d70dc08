#include "runtime/status.hpp"

#include <array>
#include <string>

#include "base/error.hpp"

namespace hull::runtime {

namespace {

constexpr std::array<std::pair<Status, std::string_view>, 5> kNames = {{
    {Status::creating, "creating"},
    {Status::created, "created"},
    {Status::running, "running"},
    {Status::paused, "paused"},
    {Status::stopped, "stopped"},
}};

}  // namespace

std::string_view status_name(Status status) {
    for (const auto& [s, name] : kNames)
        if (s == status) return name;
    return "unknown";
}

Status parse_status(std::string_view name) {
    for (const auto& [s, n] : kNames)
        if (n == name) return s;
    throw Error("unknown container status \"" + std::string(name) + "\"");
}

}  // namespace hull::runtime
