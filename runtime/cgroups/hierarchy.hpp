// One hierarchy a container's cgroup lives in, and the file operations on it that every driver
// shares. Errors from writes name the JSON field that asked for them.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace hull::cgroups {

struct Hierarchy {
    std::string mountpoint;                // /sys/fs/cgroup/memory, /sys/fs/cgroup
    bool v2 = false;                       // cgroup2 (the only one on v2, "unified" on hybrid)
    std::vector<std::string> controllers;  // v1: from the mount options; v2: unused
    std::string dir;                       // the container's cgroup directory
    std::vector<std::string> created;      // directories this manager made, parents first

    bool has(const std::string& controller) const;
    std::string file(const std::string& name) const { return dir + "/" + name; }
};

// mkdir every missing directory from the mountpoint down to h.dir, recording the ones it made.
// Idempotent. Retries when a concurrent destroy removes a shared parent under it.
void make_dirs(Hierarchy& h);

bool file_exists(const std::string& path);

// Writes value to a cgroup control file (no O_CREAT, no O_TRUNC, one write). Errors:
// "<field>: <path> does not exist ..." or "<field>: write "<value>" to <path>: <strerror>".
void write_control(const std::string& path, const std::string& value, const std::string& field);

// Contents with the trailing newline removed; throws Error naming the path.
std::string read_control(const std::string& path);

// Numeric contents ("max" -> max_value); nullopt-like fallback 0 when the file is missing.
std::uint64_t read_u64(const std::string& path, std::uint64_t max_value = 0);

// Every pid in cgroup.procs of dir and of all its descendants.
std::vector<pid_t> procs_recursive(const std::string& dir);

// rmdir dir and every cgroup below it, deepest first. ENOENT is success. Throws on other errors.
void remove_tree(const std::string& dir);

// rmdir that ignores ENOENT and EBUSY/ENOTEMPTY (a shared parent still in use).
void remove_if_empty(const std::string& dir);

}  // namespace hull::cgroups
