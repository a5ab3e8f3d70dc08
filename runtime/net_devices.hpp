// linux.netDevices (config-linux.md "Network Devices"): host interfaces moved into the
// container's new network namespace by `hull create`, before the container's init goes on.
//
// Each device keeps its attributes; its permanent addresses of global scope, which the kernel
// drops when a device changes namespace, are read before the move and added again inside;
// it is renamed to `name` when one is given (a "%d" template lets the kernel pick a free
// number) and set up. Nothing moves it back: as the spec requires and runc 1.2+ and crun do,
// the kernel takes care of it when the namespace dies with the container, returning a
// physical device to the host's initial namespace and destroying a virtual one (a veth
// together with its host-side peer).
#pragma once

#include <sys/types.h>

#include "spec/config.hpp"

namespace hull::runtime {

// Checks, before anything is made, that the config has a network namespace of its own
// and that every device exists on the host. Errors name /linux/netDevices/<name>.
void check_net_devices(const spec::Config& config);

// Moves every device into the network namespace of pid (which must be the container's new
// one) and configures it there. Errors name /linux/netDevices/<name>.
void move_net_devices(const spec::Config& config, pid_t pid);

}  // namespace hull::runtime
