// CVE-2019-5736: a hull process that ends up inside a container (the init before it execs the
// container's process, an `exec` child, or hull re-run through `#!/proc/self/exe`) exposes
// its executable as /proc/<pid>/exe. If that is the host's hull binary on a writable mount,
// the container can reopen it for writing once hull exits and replace it for every later
// invocation. So the commands that put a hull process into a container first re-execute hull
// from a reference that can never be written: a detached read-only bind mount of the binary
// (costs no memory: it shares the page cache), or, where the mount API is unavailable, a
// sealed memfd copy.
#pragma once

#include <string>

#include "base/unique_fd.hpp"

namespace hull::security {

enum class ExeCopy {
    read_only_bind,  // open_tree(OPEN_TREE_CLONE) of the binary, made read-only, detached
    sealed_memfd,    // a copy in a memfd sealed against writes, growth and shrinking
};

// True when nobody holding this file can write it: it lies on a read-only mount, or it is a
// memfd sealed against writes.
bool cannot_be_written(int fd);
bool self_exe_is_protected();

// A file descriptor for executing `path` (the running binary: "/proc/self/exe"), protected
// as `how` says.
unique_fd protected_copy(const std::string& path, ExeCopy how);

// Returns at once when /proc/self/exe is already protected. Otherwise re-executes this
// program with the same argv and environment from a protected copy and does not return;
// HULL_EXE_PROTECTION=memfd picks the memfd copy (the default is the bind mount, falling back
// to the memfd when the kernel or our privileges refuse it). Throws when it cannot protect.
void ensure_protected_self_exe(char** argv);

}  // namespace hull::security
