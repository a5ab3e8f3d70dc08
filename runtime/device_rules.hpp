// The device cgroup rules a container actually gets: the config's rules, then what every
// container needs (the default devices of runtime-linux.md, /dev/pts, mknod of anything),
// then each linux.devices entry — the same additions runc and crun make.
#pragma once

#include <vector>

#include "spec/config.hpp"

namespace hull::runtime {

std::vector<spec::DeviceCgroupRule> effective_device_rules(const spec::Config& config);

}  // namespace hull::runtime
