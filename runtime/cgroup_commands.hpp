// pause, resume, ps, events, update: runc's commands that act on a container's cgroup.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "runtime/context.hpp"
#include "spec/config.hpp"

namespace hull::runtime {

void cmd_pause(Context& ctx, const std::string& id);
void cmd_resume(Context& ctx, const std::string& id);
// format: table (the host's `ps` output filtered to the container) or json (an array of pids).
void cmd_ps(Context& ctx, const std::string& id, const std::string& format,
            const std::vector<std::string>& ps_args);
// stats_once: one {"type":"stats",...} line; else one per interval and {"type":"oom"} on OOM
// kills, until the container stops.
void cmd_events(Context& ctx, const std::string& id, bool stats_once,
                std::chrono::nanoseconds interval);

struct UpdateOptions {
    std::string id;
    std::string resources_file;  // --resources FILE|- : a linux.resources JSON
    std::string memory, memory_reservation, memory_swap, kernel_memory, kernel_memory_tcp;
    std::optional<std::uint64_t> cpu_shares, cpu_period, cpu_rt_period;
    std::optional<std::int64_t> cpu_quota, cpu_rt_runtime, pids_limit;
    std::optional<std::uint16_t> blkio_weight;
    std::string cpuset_cpus, cpuset_mems;
};
void cmd_update(Context& ctx, const UpdateOptions& options);
// What update applies: --resources FILE (or -), then each flag over it; sizes as runc reads them.
spec::Resources resources_from_flags(const UpdateOptions& options);

}  // namespace hull::runtime
