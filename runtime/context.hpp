// What every command gets from the global flags.
#pragma once

#include <string>

#include "base/log.hpp"

namespace hull::runtime {

struct GlobalOptions {
    std::string root = "/run/hull";
    std::string log_path;
    LogFormat log_format = LogFormat::text;
    bool debug = false;
    bool systemd_cgroup = false;
};

class ContainerExtension;

struct Context {
    GlobalOptions options;
    Logger& log;
    // What builds beside the core (container_extension.hpp), or none.
    const ContainerExtension* extension = nullptr;
};

}  // namespace hull::runtime
