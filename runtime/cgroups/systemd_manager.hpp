// The systemd cgroup driver (--systemd-cgroup, or a "slice:prefix:name" cgroupsPath): systemd
// owns the container's cgroup as a transient scope unit with Delegate=yes, created over its
// D-Bus API with sd-bus. Resources systemd knows are set as unit properties (so that a
// daemon-reload does not undo them); every resource is also written to the scope's cgroup
// files by the v2 driver, which does freezing, killing, pids and stats on that directory.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>

#include "runtime/cgroups/manager.hpp"
#include "runtime/cgroups/systemd_units.hpp"

namespace hull::cgroups {

// Where systemd listens: its private socket (root, no dbus-daemon needed) and the system bus.
inline constexpr const char* kSystemdPrivateSocket = "/run/systemd/private";
inline constexpr const char* kSystemBusSocket = "/run/dbus/system_bus_socket";

// Throws Error naming cgroups_path and the bus sockets when systemd cannot be reached: not PID 1
// (systemd_dir missing) or neither socket exists. The host must be pure cgroup v2.
std::unique_ptr<Manager> open_systemd_manager(
    const std::string& cgroups_path, const std::string& container_id, Logger& log,
    const std::string& systemd_dir = "/run/systemd/system");

// Persistence: the JSON object manager_to_json writes for this driver, and back.
std::string systemd_manager_to_json(const Manager& manager);  // "" when not a systemd manager
std::unique_ptr<Manager> systemd_manager_from_json(const std::string& json, Logger& log);

}  // namespace hull::cgroups
