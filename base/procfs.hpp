// Writes to procfs go through a handle verified to be procfs (fstatfs), resolved with
// openat2 so that nothing in the container can redirect them (CVE-2019-16884 class).
#pragma once

#include <string>

#include "base/unique_fd.hpp"

namespace hull {

// Opens a directory of a procfs mount (e.g. "/proc") and checks that it really is procfs.
unique_fd open_procfs(const std::string& path = "/proc");

// Opens path (relative, e.g. "sys/net/ipv4/ip_forward" or "self/oom_score_adj") beneath a
// verified procfs handle, never following magic links or leaving the mount.
unique_fd open_in_procfs(int procfs, const std::string& path, int flags);

// Writes value to path beneath procfs; the error names the path.
void write_procfs(int procfs, const std::string& path, const std::string& value);

}  // namespace hull
