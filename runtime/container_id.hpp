#pragma once

#include <string>

namespace hull::runtime {

// runc's rule: ^[\w+\-.]+$, and neither "." nor "..". Throws Error naming the id otherwise,
// before anything is made.
void validate_container_id(const std::string& id);

}  // namespace hull::runtime
