// Resource usage of a container's cgroup, shaped like runc's `events --stats` data.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace hull::cgroups {

struct CpuStats {
    std::uint64_t usage_total = 0;  // nanoseconds
    std::uint64_t usage_user = 0;
    std::uint64_t usage_kernel = 0;
    std::vector<std::uint64_t> usage_percpu;
    std::uint64_t throttling_periods = 0;
    std::uint64_t throttled_periods = 0;
    std::uint64_t throttled_time = 0;  // nanoseconds
};

struct MemoryEntry {
    std::uint64_t usage = 0;
    std::uint64_t max_usage = 0;
    std::uint64_t limit = 0;
    std::uint64_t failcnt = 0;
};

struct MemoryStats {
    std::uint64_t cache = 0;
    MemoryEntry usage;
    MemoryEntry swap;  // v1: memory+swap (memsw); v2: swap alone
    MemoryEntry kernel;
    MemoryEntry kernel_tcp;
    std::uint64_t oom_kills = 0;  // v1 memory.oom_control oom_kill; v2 memory.events oom_kill
    bool use_hierarchy = false;
    std::map<std::string, std::uint64_t> raw;  // memory.stat
};

struct PidsStats {
    std::uint64_t current = 0;
    std::uint64_t limit = 0;  // 0: no limit
};

struct BlkioEntry {
    std::uint64_t major = 0;
    std::uint64_t minor = 0;
    std::string op;  // Read, Write, Sync, Async, Discard, Total
    std::uint64_t value = 0;
};

struct BlkioStats {
    std::vector<BlkioEntry> io_service_bytes_recursive;
    std::vector<BlkioEntry> io_serviced_recursive;
};

struct HugetlbStats {
    std::uint64_t usage = 0;
    std::uint64_t max_usage = 0;
    std::uint64_t failcnt = 0;
};

struct Stats {
    CpuStats cpu;
    MemoryStats memory;
    PidsStats pids;
    BlkioStats blkio;
    std::map<std::string, HugetlbStats> hugetlb;  // by page size, "2MB"
};

// runc's events "data" object: {"cpu":{"usage":{...},"throttling":{...}},"memory":{...},...}.
std::string stats_to_json(const Stats& stats);

// Parsers for the flat-keyed files (memory.stat, cpu.stat, cpuacct.stat): "key value" lines.
std::map<std::string, std::uint64_t> parse_flat_keyed(const std::string& text);
// v1 blkio.*_recursive: "8:0 Read 4096" lines (a final "Total N" line is skipped).
std::vector<BlkioEntry> parse_blkio_v1(const std::string& text);
// v2 io.stat: "8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0" into bytes and ios lists.
void parse_io_stat_v2(const std::string& text, BlkioStats& out);

}  // namespace hull::cgroups
