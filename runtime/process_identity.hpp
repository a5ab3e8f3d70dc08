// A container's init is identified by its pid AND its start time, so that a reused pid is
// never mistaken for the container.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>

#include "base/unique_fd.hpp"

namespace hull::runtime {

struct ProcessStat {
    char state = '?';              // field 3: R, S, D, Z, T, ...
    std::uint64_t start_time = 0;  // field 22, clock ticks since boot
};

// Reads /proc/<pid>/stat; nullopt when the process does not exist.
std::optional<ProcessStat> read_process_stat(pid_t pid);

// True when pid exists, is not a zombie, and started at start_time.
bool process_alive(pid_t pid, std::uint64_t start_time);

// A pidfd for pid, verified to still be the process that started at start_time
// (checked after opening, so the pidfd cannot refer to a reused pid). Invalid when gone.
unique_fd open_verified_pidfd(pid_t pid, std::uint64_t start_time);

// Waits up to timeout_ms for the process behind pidfd to exit; true when it has.
bool wait_for_exit(int pidfd, int timeout_ms);

}  // namespace hull::runtime
