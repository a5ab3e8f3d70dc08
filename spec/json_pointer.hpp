// JSON pointers (RFC 6901) as the places errors name: "/mounts/0/options",
// "/linux/sysctl/net~1ipv4".
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace hull::spec {

// One reference token: "~" becomes "~0" and "/" becomes "~1".
std::string json_pointer_escape(std::string_view token);

// pointer extended by an object member: "/linux/sysctl" + "a/b" -> "/linux/sysctl/a~1b".
std::string json_pointer_key(const std::string& pointer, std::string_view key);

// pointer extended by an array index: "/mounts" + 2 -> "/mounts/2".
std::string json_pointer_index(const std::string& pointer, std::size_t index);

}  // namespace hull::spec
