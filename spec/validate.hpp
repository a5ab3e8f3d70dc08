// Semantic rules of config.md / config-linux.md that the JSON schema cannot express.
// Every error is a ConfigError with the exact JSON pointer of the offending value.
#pragma once

#include <string>
#include <vector>

#include "spec/config.hpp"
#include "spec/config_error.hpp"

namespace hull::spec {

struct ValidateOptions {
    // System-container mode runs the image's init when process.args is empty.
    bool allow_empty_args = false;
};

// Every semantic error, in document order (empty when the config is valid).
std::vector<ConfigError> config_errors(const Config& config, const std::string& source,
                                       const ValidateOptions& options = {});

// Throws the first of config_errors().
void validate_config(const Config& config, const std::string& source,
                     const ValidateOptions& options = {});

// pointer_prefix locates the process in its document: "/process" inside config.json,
// "" for an exec --process file.
void validate_process(const Process& process, const std::string& source,
                      const std::string& pointer_prefix, const ValidateOptions& options = {});

// Findings the spec says to log rather than fail on: capability names this hull does not
// know (config.md: "MUST be logged as a warning ... SHOULD NOT fail"). One line each.
std::vector<std::string> config_warnings(const Config& config, const std::string& source);

}  // namespace hull::spec
