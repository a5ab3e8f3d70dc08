// The pure half of the systemd cgroup driver: cgroupsPath "slice:prefix:name" to a unit and its
// slice, and linux.resources to the unit properties systemd knows. No D-Bus here (that is
// systemd_manager.cpp), so all of it is unit-tested.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "spec/config.hpp"

namespace hull::cgroups {

struct SystemdUnit {
    std::string slice;        // "system.slice", "a-b.slice"; "-.slice" is the root slice
    std::string unit;         // "hull-abc.scope", or the name itself when it is a .slice
    std::string slice_path;   // the slice's cgroup below the root: "/a.slice/a-b.slice", "/"
    std::string cgroup_path;  // slice_path + "/" + unit: where systemd puts the unit's cgroup
};

// runc's semantics: "slice:prefix:name"; an empty slice is system.slice; an empty prefix gives
// "name.scope"; a name ending in ".slice" is the unit as it is (prefix ignored). An empty
// cgroupsPath means ":hull:<container_id>". Throws Error naming the cgroupsPath when it has not
// exactly two colons or a part is not a valid unit name.
SystemdUnit parse_systemd_cgroups_path(const std::string& cgroups_path,
                                       const std::string& container_id);

// "a-b-c.slice" -> "/a.slice/a-b.slice/a-b-c.slice", "-.slice" -> "/". Throws Error for a name
// that is not a slice, holds a "/", or has an empty dash-separated part ("a--b.slice", "-a.slice").
std::string expand_slice(const std::string& slice);

// One property of a transient unit, with the D-Bus type systemd declares for it: "b" bool,
// "t" uint64, "s" string, "au" the PIDs list, "ay" a CPU or NUMA node bitmask.
struct UnitProperty {
    using Value = std::variant<bool, std::uint64_t, std::string, std::vector<std::uint32_t>,
                               std::vector<std::uint8_t>>;
    std::string name;
    Value value;

    bool operator==(const UnitProperty&) const = default;
};

// systemd's "infinity" for the uint64 limits.
inline constexpr std::uint64_t kUnitInfinity = UINT64_MAX;

// MemoryMax, MemoryLow, MemorySwapMax, CPUWeight, CPUQuotaPerSecUSec, CPUQuotaPeriodUSec,
// AllowedCPUs, AllowedMemoryNodes, TasksMax, IOWeight from the resources that set them; the rest
// is for the cgroup files. Throws Error naming the JSON pointer of a value that cannot be one.
std::vector<UnitProperty> resource_properties(const spec::Resources& resources);

// "0-3,8" -> the little-endian bitmask systemd takes for AllowedCPUs/AllowedMemoryNodes
// (byte n/8, bit n%8). Throws Error naming field for a malformed list.
std::vector<std::uint8_t> cpu_list_mask(const std::string& list, const std::string& field);

// D-Bus type signature of a property value ("t", "au", ...).
const char* property_signature(const UnitProperty::Value& value);

}  // namespace hull::cgroups
