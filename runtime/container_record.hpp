// What hull remembers about a container between invocations: <root>/<id>/state.json.
// It is a superset of the OCI state (extra members are allowed by state-schema.json): the
// status stored there is only the last one written; the live status is derived.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "runtime/status.hpp"

namespace hull::runtime {

class ContainerDir;

// A system container's part of the record: the supervisor (parent of init, holder of the
// console), how to ask init to halt, the uuid init sees, and how many times it booted.
struct SystemRecord {
    pid_t monitor_pid = 0;
    std::uint64_t monitor_start_time = 0;
    int halt_signal = 0;
    std::string uuid;
    int boots = 0;
};

struct ContainerRecord {
    std::string oci_version;
    std::string id;
    Status status = Status::creating;  // as last written: never paused
    pid_t pid = 0;
    std::uint64_t start_time = 0;  // init's /proc/<pid>/stat field 22
    std::string bundle;
    std::string rootfs;
    std::string created;  // RFC 3339
    std::string owner;
    std::map<std::string, std::string> annotations;
    std::string cgroup;  // the cgroup manager's own JSON, empty when none
    // No mount namespace of its own: its mounts are in the host's, below rootfs. Those that
    // were there before create (the ids) are not the container's to unmount at delete.
    bool shared_mount_ns = false;
    std::vector<int> rootfs_mounts_before;
    // Only for a system container (--system-container): what its extension keeps.
    std::optional<SystemRecord> system;
};

std::string record_to_json(const ContainerRecord& record);
ContainerRecord record_from_json(const std::string& json);

void save_record(const ContainerDir& dir, const ContainerRecord& record);
// Throws "container does not exist: ID" when the directory holds no record.
ContainerRecord load_record(const ContainerDir& dir);
bool has_record(const ContainerDir& dir);

}  // namespace hull::runtime
