// Linux capability names and numbers (capabilities(7)), shared by validation, features.json
// and the runtime. Kept here rather than asking libcap so that hull knows every name even
// when the build host's libcap is older than the kernel.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hull::spec {

struct CapabilityName {
    std::string_view name;  // "CAP_CHOWN"
    int number;             // 0
};

// Every capability up to CAP_CHECKPOINT_RESTORE (40), in number order.
const std::vector<CapabilityName>& capability_names();

std::optional<int> capability_number(std::string_view name);
// "" for an unknown number.
std::string capability_name(int number);

}  // namespace hull::spec
