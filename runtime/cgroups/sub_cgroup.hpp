// `exec --cgroup`: run an exec'd process in an existing sub-cgroup of the container's cgroup
// instead of the cgroup itself, in runc 1.1's form: `--cgroup PATH` for every hierarchy, or
// `--cgroup CONTROLLER[,CONTROLLER...]:PATH` (repeatable) for named cgroup v1 controllers.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace hull::cgroups {

// Controller -> path relative to the container's cgroup; the key "" means every hierarchy.
using SubCgroupPaths = std::map<std::string, std::string>;

// Parses the --cgroup values as runc does: a bare PATH only when it is the only one, a
// controller named once, no empty controller. PATH is relative to the container's cgroup and
// may not leave it ("..", or an absolute path that does). Throws Error naming --cgroup.
SubCgroupPaths parse_sub_cgroup_args(const std::vector<std::string>& args);

}  // namespace hull::cgroups
