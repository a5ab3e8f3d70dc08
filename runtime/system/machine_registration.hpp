// A system container on a systemd host registers with systemd-machined, as systemd-nspawn
// does, so that `machinectl list|status|shell ID` and `journalctl -M ID` know it: the machine
// is the container's id, its leader is init, its id the container_uuid, its root the rootfs.
// Where machined (or D-Bus) is absent, or the id is not a valid machine name, nothing happens
// but a line at --debug: registration is a convenience, never a reason to fail a boot.
#pragma once

#include <sys/types.h>

#include <string>

#include "base/log.hpp"

namespace hull::system_container {

class MachineRegistration {
  public:
    MachineRegistration(std::string name, std::string uuid, std::string root, const Logger& log)
        : name_(std::move(name)), uuid_(std::move(uuid)), root_(std::move(root)), log_(log) {}
    MachineRegistration(const MachineRegistration&) = delete;
    MachineRegistration& operator=(const MachineRegistration&) = delete;
    ~MachineRegistration() { unregister(); }

    // (Re)registers with this init as the leader (a reboot has a new one).
    void register_leader(pid_t init);
    void unregister();

  private:
    std::string name_, uuid_, root_;
    const Logger& log_;
    bool registered_ = false;
};

// For `hull delete`, should the supervisor have died without unregistering. Quiet.
void unregister_machine(const std::string& name, const Logger& log);

}  // namespace hull::system_container
