// Small helpers shared by the checker's check groups; nothing here may need a libc beyond static
// glibc.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <rapidjson/document.h>

namespace hull::conformance {

std::optional<std::string> read_text(const std::string& path);
std::string trim(const std::string& text);
std::vector<std::string> split(const std::string& text, char sep);
std::string errno_name(int err);

// One line of /proc/self/mountinfo.
struct MountInfo {
    std::string mount_point;
    std::string root;
    std::vector<std::string> mount_options;    // per-mount: ro, nosuid, nodev, noexec, ...
    std::vector<std::string> optional_fields;  // shared:N, master:N, unbindable
    std::string fs_type;
    std::string source;
    std::vector<std::string> super_options;
};
std::vector<MountInfo> read_mountinfo();
// The topmost mount at `path` (the last one listed), if any.
std::optional<MountInfo> find_mount(const std::vector<MountInfo>& mounts, const std::string& path);
bool has(const std::vector<std::string>& list, const std::string& item);

// Capability names to numbers; -1 for names this checker does not know.
int capability_number(const std::string& name);
std::string capability_name(int number);

// Host facts the runner measured outside the container ("<key> <value>" lines).
struct HostFacts {
    std::vector<std::pair<std::string, std::string>> entries;
    std::optional<std::string> get(const std::string& key) const;
};
HostFacts read_host_facts(const std::string& path);

using Json = rapidjson::Value;
const Json* member(const Json& object, const char* name);
std::string json_to_string(const Json& value);

}  // namespace hull::conformance
