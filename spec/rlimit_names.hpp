// The process.rlimits types hull knows (getrlimit(2)) and their RLIMIT_* numbers, shared by
// validation and the runtime's setrlimit.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace hull::spec {

struct RlimitName {
    std::string_view name;  // "RLIMIT_NOFILE"
    int resource;           // RLIMIT_NOFILE
};

// Every RLIMIT_* of getrlimit(2), RLIMIT_AS through RLIMIT_STACK by name.
const std::vector<RlimitName>& rlimit_names();

std::optional<int> rlimit_number(std::string_view name);

}  // namespace hull::spec
