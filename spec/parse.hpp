// config.json -> hull::spec::Config: JSON syntax, the official schema, conversion, and
// semantic validation, each failure a one-line ConfigError naming the JSON pointer.
#pragma once

#include <string>
#include <string_view>

#include "spec/config.hpp"
#include "spec/config_error.hpp"
#include "spec/validate.hpp"

namespace hull::spec {

Config parse_config(std::string_view json, const std::string& source = "config.json",
                    const ValidateOptions& options = {});

// Reads the file (an unreadable file is an Error naming the path), then parse_config with
// source "config.json".
Config load_config(const std::string& path, const ValidateOptions& options = {});

// The state directory's snapshot of a config this hull already validated at create: JSON
// syntax and conversion only, skipping the schema layer (about 1 ms per process). Never for
// input that did not come from hull itself.
Config load_validated_config(const std::string& path);

// A process object on its own, as given to `exec --process FILE`.
Process parse_process(std::string_view json, const std::string& source,
                      const ValidateOptions& options = {});

}  // namespace hull::spec
