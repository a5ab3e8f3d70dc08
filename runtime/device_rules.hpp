// The device cgroup rules a container actually gets: the config's rules, then what every
// container needs (the default devices of runtime-linux.md, /dev/pts, mknod of anything) —
// the same additions runc and crun make. A linux.devices entry gets no rule of its own:
// like runc and crun, its access is what resources.devices says.
#pragma once

#include <vector>

#include "spec/config.hpp"

namespace hull::runtime {

std::vector<spec::DeviceCgroupRule> effective_device_rules(const spec::Config& config);

}  // namespace hull::runtime
