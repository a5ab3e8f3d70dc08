// Check groups of the in-container checker. Each one reads the part of config.json it owns and
// reports one TAP line per setting; a setting absent from the config is not checked.
#pragma once

#include <string>
#include <vector>

#include "conformance/checker/tap.hpp"
#include "conformance/checker/util.hpp"

namespace hull::conformance {

struct Context {
    const Json& config;
    HostFacts host;
    Tap& tap;
    std::vector<std::string> argv;
    std::vector<MountInfo> mounts;  // read before any check can disturb the mount table
};

void check_process(Context& ctx);
void check_capabilities(Context& ctx);
void check_namespaces(Context& ctx);
void check_mounts(Context& ctx);
void check_devices(Context& ctx);
void check_paths(Context& ctx);
void check_kernel(Context& ctx);
void check_seccomp(Context& ctx);
void check_cgroups(Context& ctx);

}  // namespace hull::conformance
