// The config.json that `hull spec` writes: a small, locked-down container running sh.
#pragma once

#include <string>

namespace hull::spec {

// Pretty-printed JSON (4-space indent); passes parse_config.
std::string default_config_json();

}  // namespace hull::spec
