// Writing into a cgroup2 directory: enabling controllers down the path and the spec's
// linux.resources.unified pass-through. Shared by the v2 driver and hybrid's unified mount.
#pragma once

#include <map>
#include <string>

#include "runtime/cgroups/hierarchy.hpp"

namespace hull::cgroups {

// The controllers listed in <dir>/cgroup.controllers (empty when the file is missing).
std::vector<std::string> available_controllers(const std::string& dir);

// Makes controller usable in h.dir: it must be in every ancestor's cgroup.controllers, and is
// added to each ancestor's cgroup.subtree_control. Throws Error "<field>: ..." otherwise.
void enable_controller(const Hierarchy& h, const std::string& controller, const std::string& field);

// Writes each key to h.dir/<key>, enabling the key's controller first when its file is
// missing. A key whose file still does not exist is an Error naming /linux/resources/unified/<key>.
void write_unified(const Hierarchy& h, const std::map<std::string, std::string>& unified);

}  // namespace hull::cgroups
