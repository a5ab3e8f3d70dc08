// Helpers shared by the `hull bundle new` templates: directories, running host programs,
// staging a tree so that it is complete or absent, and removing one without crossing mounts.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace hull::bundle {

// mkdir -p.
void make_dirs(const std::string& path, mode_t mode = 0755);

// rm -rf that never descends into another mount and never follows a symlink. Returns false
// when something could not be removed (it keeps going and removes what it can).
bool remove_tree(const std::string& path) noexcept;

struct ProgramOptions {
    // Run the program in a private mount namespace of its own: whatever it mounts (debootstrap
    // mounts /proc and /sys inside its target) disappears with it, even when it is killed.
    bool private_mounts = false;
    // Keep the program's stderr in the error message when it fails (its last lines).
    bool capture_stderr = true;
};

// Runs argv[0] (looked up in PATH) and waits. Throws Error with `what`, the exit status and
// the tail of its stderr when it does not exit 0.
void run_program(const std::vector<std::string>& argv, const std::string& what,
                 const ProgramOptions& options = {});

// The first executable `name` in PATH (root's default PATH when unset), or "".
std::string find_in_path(const std::string& name);

// 64-bit FNV-1a, as 16 hex digits: a cache key, not a defence against collisions on purpose.
std::string fnv1a_hex(const std::string& data);

// A new, empty directory next to `final_path` (same file system, so rename(2) can publish
// it): "<dir>/.<name>.tmp-XXXXXX".
std::string make_staging_dir(const std::string& final_path);

}  // namespace hull::bundle
