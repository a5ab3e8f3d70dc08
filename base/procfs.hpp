// Opening files under /proc without being fooled by a fake or over-mounted /proc. A malicious
// image can mount a tmpfs on /proc or bind-mount another file over /proc/self/attr/exec so
// that a label or sysctl write lands somewhere harmless (CVE-2019-16884 class): every procfs
// access hull makes goes through a handle verified to be the root of a procfs mount, and is
// resolved beneath it with openat2, refusing mount crossings and magic links.
#pragma once

#include <string>

#include "base/unique_fd.hpp"

namespace hull {

// Opens a procfs mount's root (e.g. "/proc") and checks that it really is one: the procfs
// magic, and the root inode (a bind of a directory inside procfs has the magic too).
unique_fd open_procfs(const std::string& path = "/proc");

// Opens path (relative, e.g. "sys/net/ipv4/ip_forward" or "self/oom_score_adj") beneath a
// verified procfs handle, never following magic links or leaving the mount.
unique_fd open_in_procfs(int procfs, const std::string& path, int flags);

// Writes value to path beneath procfs; the error names the path.
void write_procfs(int procfs, const std::string& path, const std::string& value);
std::string read_procfs(int procfs, const std::string& path);

// The same beneath /proc as this process sees it now (inside the container, after its
// mounts), verified anew on every call.
void write_procfs(const std::string& path, const std::string& value);
std::string read_procfs(const std::string& path);

}  // namespace hull
