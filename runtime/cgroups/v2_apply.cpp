// linux.resources on a pure cgroup v2 hierarchy.
#include <fcntl.h>

#include <sstream>

#include "base/error.hpp"
#include "base/file.hpp"
#include "runtime/cgroups/bpf_devices.hpp"
#include "runtime/cgroups/convert.hpp"
#include "runtime/cgroups/unified.hpp"
#include "runtime/cgroups/v2_manager.hpp"

namespace hull::cgroups {

namespace {

void validate(const spec::Resources& r) {
    device_program(r.devices);
    for (const auto& h : r.hugepage_limits)
        page_size_bytes(h.page_size);
    for (const auto& [key, value] : r.unified)
        validate_unified_key(key);
    for (const auto& [dev, limit] : r.rdma)
        rdma_max_line(dev, limit);
    if (r.network && (r.network->class_id || !r.network->priorities.empty())) {
        throw Error(std::string("/linux/resources/network/") +
                    (r.network->class_id ? "classID" : "priorities") +
                    ": net_cls/net_prio exist only in cgroup v1; this host is cgroup v2");
    }
    if (r.cpu && r.cpu->burst && r.cpu->quota && *r.cpu->quota > 0 &&
        *r.cpu->burst > static_cast<std::uint64_t>(*r.cpu->quota)) {
        throw Error("/linux/resources/cpu/burst: must not exceed quota");
    }
    if (r.cpu && ((r.cpu->realtime_runtime && *r.cpu->realtime_runtime != 0) ||
                  (r.cpu->realtime_period && *r.cpu->realtime_period != 0))) {
        throw Error(std::string("/linux/resources/cpu/") +
                    (r.cpu->realtime_runtime ? "realtimeRuntime" : "realtimePeriod") +
                    ": cgroup v2 has no real-time group scheduling");
    }
    if (r.memory) {
        const auto& m = *r.memory;
        const std::string F = "/linux/resources/memory/";
        if (m.swappiness) throw Error(F + "swappiness: cgroup v2 has no per-cgroup swappiness");
        // cgroup v2 has no memory.oom_control. runc's fs2 driver drops the field without a
        // word, crun refuses it ("cannot disable OOM killer with cgroupv2"); as the peers do
        // not agree on accepting it, hull refuses it too rather than run a container without
        // the protection its config asked for.
        if (m.disable_oom_killer.value_or(false)) {
            throw Error(F + "disableOOMKiller: cgroup v2 cannot disable the OOM killer");
        }
        if (m.use_hierarchy && !*m.use_hierarchy) {
            throw Error(F + "useHierarchy: cgroup v2 accounting is always hierarchical");
        }
    }
    if (r.block_io) {
        const std::string F = "/linux/resources/blockIO/";
        if (r.block_io->leaf_weight) throw Error(F + "leafWeight: cgroup v2 has no leaf weight");
        for (const auto& d : r.block_io->weight_device) {
            if (d.leaf_weight) throw Error(F + "weightDevice: cgroup v2 has no leaf weight");
        }
        if (r.block_io->weight) blkio_weight_to_io_weight(*r.block_io->weight);
    }
}

}  // namespace

void V2Manager::apply(const spec::Resources& r) {
    validate(r);
    auto& h = dir();
    if (r.memory) apply_memory(*r.memory);
    if (r.cpu) apply_cpu(*r.cpu);
    if (r.pids)
        write_control(h.file("pids.max"), pids_max(r.pids->limit), "/linux/resources/pids/limit");
    if (r.block_io) apply_block_io(*r.block_io);
    for (const auto& l : r.hugepage_limits) {
        const std::string field = "/linux/resources/hugepageLimits/" + l.page_size;
        const std::string max_file = h.file(hugetlb_v2_max_file(l.page_size));
        if (!file_exists(max_file)) {
            throw Error(field + ": " + max_file +
                        " does not exist (hugetlb controller off or page size unsupported)");
        }
        write_control(max_file, std::to_string(l.limit), field);
        const std::string rsvd = h.file(hugetlb_v2_rsvd_file(l.page_size));
        if (file_exists(rsvd)) write_control(rsvd, std::to_string(l.limit), field);
    }
    for (const auto& [dev, limit] : r.rdma) {
        write_control(h.file("rdma.max"), rdma_max_line(dev, limit),
                      "/linux/resources/rdma/" + dev);
    }
    if (!r.unified.empty()) write_unified(h, r.unified);
    if (!r.devices.empty()) {
        unique_fd fd = open_fd(h.dir, O_RDONLY | O_DIRECTORY);
        install_device_program(fd.get(), device_program(r.devices));
    }
}

void V2Manager::apply_memory(const spec::MemoryResources& m) {
    const std::string F = "/linux/resources/memory/";
    auto& h = dir();
    if (m.check_before_update.value_or(false) && m.limit && *m.limit > 0) {
        // v1 refuses a limit below usage; v2 would OOM-kill instead, so refuse here.
        std::uint64_t usage = read_u64(h.file("memory.current"));
        if (static_cast<std::uint64_t>(*m.limit) < usage) {
            throw Error(F + "limit: " + std::to_string(*m.limit) + " is below the current usage " +
                        std::to_string(usage) + " (checkBeforeUpdate)");
        }
    }
    // Every value is converted before the first write, so that a refused update (a swap limit
    // below the memory limit, say) leaves the cgroup as it was.
    std::optional<std::string> max, swap_max, low;
    if (m.limit) max = v2_memory_value(*m.limit, F + "limit");
    if (m.swap) {
        std::optional<std::int64_t> limit = m.limit;
        if (!limit && file_exists(h.file("memory.max"))) {
            std::string cur = read_control(h.file("memory.max"));
            limit = cur == "max" ? -1 : static_cast<std::int64_t>(std::stoll(cur));
        }
        swap_max = v2_swap_max(limit, *m.swap);
    }
    if (m.reservation) low = v2_memory_value(*m.reservation, F + "reservation");
    if (max) write_control(h.file("memory.max"), *max, F + "limit");
    if (swap_max) write_control(h.file("memory.swap.max"), *swap_max, F + "swap");
    if (low) write_control(h.file("memory.low"), *low, F + "reservation");
    if (m.kernel) log_.warn(F + "kernel: cgroup v2 has no kernel memory limit; ignored");
    if (m.kernel_tcp) log_.warn(F + "kernelTCP: cgroup v2 has no kernel TCP limit; ignored");
}

void V2Manager::apply_cpu(const spec::CpuResources& c) {
    const std::string F = "/linux/resources/cpu/";
    auto& h = dir();
    if (c.shares && *c.shares != 0) {
        write_control(h.file("cpu.weight"), std::to_string(shares_to_weight(*c.shares)),
                      F + "shares");
    }
    // The kernel wants burst <= quota at every step: lower the burst first if needed.
    bool burst_first = c.burst && c.quota && *c.quota > 0 &&
                       read_u64(h.file("cpu.max.burst")) > static_cast<std::uint64_t>(*c.quota);
    if (burst_first) {
        write_control(h.file("cpu.max.burst"), std::to_string(*c.burst), F + "burst");
    }
    if (c.quota || c.period) {
        std::optional<std::int64_t> quota = c.quota;
        std::optional<std::uint64_t> period = c.period;
        // An update may give only one half of cpu.max; keep the other.
        if ((!quota || !period) && file_exists(h.file("cpu.max"))) {
            std::istringstream cur(read_control(h.file("cpu.max")));
            std::string q;
            std::uint64_t p = 0;
            cur >> q >> p;
            if (!quota) quota = q == "max" ? -1 : std::stoll(q);
            if (!period && p) period = p;
        }
        write_control(h.file("cpu.max"), cpu_max(quota, period),
                      F + (c.quota ? "quota" : "period"));
    }
    if (c.burst && !burst_first) {
        write_control(h.file("cpu.max.burst"), std::to_string(*c.burst), F + "burst");
    }
    if (!c.cpus.empty()) write_control(h.file("cpuset.cpus"), c.cpus, F + "cpus");
    if (!c.mems.empty()) write_control(h.file("cpuset.mems"), c.mems, F + "mems");
    if (c.idle) write_control(h.file("cpu.idle"), std::to_string(*c.idle), F + "idle");
}

void V2Manager::apply_block_io(const spec::BlockIoResources& b) {
    const std::string F = "/linux/resources/blockIO/";
    auto& h = dir();
    // BFQ takes blkio-style weights directly; io.weight (io.cost) uses the 1..10000 scale.
    bool bfq = file_exists(h.file("io.bfq.weight"));
    if (b.weight) {
        if (bfq) {
            write_control(h.file("io.bfq.weight"), std::to_string(*b.weight), F + "weight");
        } else {
            write_control(h.file("io.weight"),
                          "default " + std::to_string(blkio_weight_to_io_weight(*b.weight)),
                          F + "weight");
        }
    }
    for (const auto& d : b.weight_device) {
        if (!d.weight) continue;
        std::uint64_t w = bfq ? *d.weight : blkio_weight_to_io_weight(*d.weight);
        write_control(h.file(bfq ? "io.bfq.weight" : "io.weight"),
                      device_value_line(d.major, d.minor, w), F + "weightDevice");
    }
    auto throttle = [&](const std::vector<spec::BlockIoDeviceThrottle>& list, const char* key,
                        const char* field) {
        for (const auto& t : list) {
            write_control(h.file("io.max"),
                          std::to_string(t.major) + ":" + std::to_string(t.minor) + " " + key +
                              "=" + std::to_string(t.rate),
                          F + field);
        }
    };
    throttle(b.throttle_read_bps_device, "rbps", "throttleReadBpsDevice");
    throttle(b.throttle_write_bps_device, "wbps", "throttleWriteBpsDevice");
    throttle(b.throttle_read_iops_device, "riops", "throttleReadIOPSDevice");
    throttle(b.throttle_write_iops_device, "wiops", "throttleWriteIOPSDevice");
}

}  // namespace hull::cgroups
