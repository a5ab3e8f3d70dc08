// config-linux.md "Cgroups path": where a container's cgroup lives in each hierarchy.
#pragma once

#include <string>

#include "runtime/cgroups/layout.hpp"

namespace hull::cgroups {

// The cgroupsPath used when the config leaves it empty (absolute, under the cgroup root).
std::string default_cgroup_path(const std::string& container_id);

// runc's systemd form "slice:prefix:name" (systemd_units.hpp parses it).
bool is_systemd_form(const std::string& cgroups_path);

// Collapses repeated slashes and drops "." and a trailing slash; rejects ".." (a config must not
// climb out of where it is anchored) and control characters. Keeps a leading "/" if present.
std::string normalize_cgroup_path(const std::string& path);

// The cgroup's path inside one hierarchy, as seen from that mount's root (always starts with "/"):
// absolute cgroupsPath -> itself; relative -> under own_path (our own cgroup in that hierarchy,
// from /proc/self/cgroup) with the mount's root stripped.
std::string path_in_mount(const Mount& mount, const std::string& cgroups_path,
                          const std::string& own_path);

// For paths read back from a state file (a hull that removes them recursively must not be
// pointed elsewhere): true when path is dir + "/" + one or more components, where dir is
// absolute and neither holds an empty, "." or ".." component or a control character. Purely
// lexical; dir "/" is allowed.
bool lexically_below(const std::string& path, const std::string& dir);

// mountpoint + path_in_mount, the directory to mkdir.
std::string hierarchy_dir(const Mount& mount, const std::string& cgroups_path,
                          const std::string& own_path);

}  // namespace hull::cgroups
