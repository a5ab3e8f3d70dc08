// Opening files under /proc without being fooled by a container's fake or over-mounted /proc.
// A malicious image can mount a tmpfs on /proc or bind-mount another file over
// /proc/self/attr/exec so that our LSM label write lands somewhere harmless (CVE-2019-16884);
// every procfs write hull makes from inside the container goes through here.
#pragma once

#include <string>

#include "base/unique_fd.hpp"

namespace hull::security {

// Opens /proc as O_PATH and verifies with fstatfs that it is procfs. Throws Error otherwise.
unique_fd open_procfs_root();

// Opens `relative` (e.g. "thread-self/attr/exec") beneath a verified procfs root with openat2
// (no mount crossing, no magic links, no escape) and checks the result is still on procfs.
unique_fd open_procfs_file(const std::string& relative, int flags);

// Reads a whole procfs file opened through open_procfs_file.
std::string read_procfs_file(const std::string& relative);

// Writes data to a procfs file opened through open_procfs_file with O_WRONLY.
void write_procfs_file(const std::string& relative, const std::string& data);

}  // namespace hull::security
