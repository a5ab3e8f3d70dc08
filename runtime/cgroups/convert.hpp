// Pure conversions between runtime-spec resource values and cgroup file contents.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "spec/config.hpp"

namespace hull::cgroups {

// cpu.shares (2..262144) <-> cpu.weight (1..10000); out-of-range shares are clamped first.
std::uint64_t shares_to_weight(std::uint64_t shares);
std::uint64_t weight_to_shares(std::uint64_t weight);

// blkio.weight (10..1000) <-> io.weight (1..10000). Throws outside the source range.
std::uint64_t blkio_weight_to_io_weight(std::uint64_t weight);
std::uint64_t io_weight_to_blkio_weight(std::uint64_t weight);

// v1 memory.*_in_bytes value: -1 (unlimited) or the number; other negatives throw naming field.
std::string v1_memory_value(std::int64_t value, const std::string& field);
// v2 memory.max/low/swap.max value: "max" for -1.
std::string v2_memory_value(std::int64_t value, const std::string& field);

// The spec's swap is memory+swap (v1 memory.memsw.limit_in_bytes); v2 memory.swap.max is swap
// alone, so it is swap - limit. nullopt when swap is 0 (unset, as runc treats it). Throws when
// swap < limit or swap is limited while memory is not.
std::optional<std::string> v2_swap_max(std::optional<std::int64_t> limit, std::int64_t swap);

// cgroup v2 cpu.max: "<quota|max> <period>", period 100000 when absent.
std::string cpu_max(std::optional<std::int64_t> quota, std::optional<std::uint64_t> period);

// pids.max: "max" for negative limits.
std::string pids_max(std::int64_t limit);

// "2MB" / "64KB" / "1GB": validated and converted to bytes (base 1024).
std::uint64_t page_size_bytes(const std::string& page_size);
std::string hugetlb_v1_limit_file(const std::string& page_size);  // hugetlb.2MB.limit_in_bytes
std::string hugetlb_v1_rsvd_file(const std::string& page_size);   // hugetlb.2MB.rsvd.limit_in_bytes
std::string hugetlb_v2_max_file(const std::string& page_size);    // hugetlb.2MB.max
std::string hugetlb_v2_rsvd_file(const std::string& page_size);   // hugetlb.2MB.rsvd.max

// v1 devices.allow/devices.deny line: "c 1:3 rwm", "a *:* rwm". Throws on a bad type/access.
std::string device_rule_v1(const spec::DeviceCgroupRule& rule);

// "8:0 500" for blkio per-device files.
std::string device_value_line(std::int64_t major, std::int64_t minor, std::uint64_t value);

// rdma.max line: "mlx5_1 hca_handle=3 hca_object=max"-style, only the given keys.
std::string rdma_max_line(const std::string& device, const spec::RdmaLimit& limit);

// net_prio.ifpriomap line: "eth0 5".
std::string ifpriomap_line(const spec::NetworkPriority& prio);

// A key of linux.resources.unified must name one file in the cgroup directory. Throws Error
// "/linux/resources/unified/<key>: ..." when it does not.
void validate_unified_key(const std::string& key);
// The controller a unified key belongs to: "memory.max" -> "memory", "cgroup.max.depth" ->
// "cgroup".
std::string unified_key_controller(const std::string& key);

}  // namespace hull::cgroups

namespace hull::cgroups {

// /sys/kernel/mm/hugepages/hugepages-<kb>kB -> the cgroup file spelling: 2048 -> "2MB",
// 1048576 -> "1GB", 64 -> "64KB".
std::string page_size_from_kb(std::uint64_t kb);

// The page sizes this kernel supports, from /sys/kernel/mm/hugepages ("2MB", "1GB").
std::vector<std::string> host_page_sizes();

}  // namespace hull::cgroups
