// linux.resources on v1 controllers (and hybrid's cgroup2 mount for what only it offers).
#include <cerrno>
#include <limits>

#include "base/error.hpp"
#include "runtime/cgroups/convert.hpp"
#include "runtime/cgroups/unified.hpp"
#include "runtime/cgroups/v1_manager.hpp"

namespace hull::cgroups {

namespace {

// Everything that can be rejected without touching the kernel, so a bad config changes nothing.
void validate(const spec::Resources& r) {
    for (const auto& d : r.devices)
        device_rule_v1(d);
    for (const auto& h : r.hugepage_limits)
        page_size_bytes(h.page_size);
    for (const auto& [key, value] : r.unified)
        validate_unified_key(key);
    for (const auto& [dev, limit] : r.rdma)
        rdma_max_line(dev, limit);
    if (r.network) {
        for (const auto& p : r.network->priorities)
            ifpriomap_line(p);
    }
    if (r.memory && r.memory->swappiness && *r.memory->swappiness > 100) {
        throw Error("/linux/resources/memory/swappiness: " + std::to_string(*r.memory->swappiness) +
                    " is outside 0..100");
    }
    if (r.cpu && r.cpu->burst && r.cpu->quota && *r.cpu->quota > 0 &&
        *r.cpu->burst > static_cast<std::uint64_t>(*r.cpu->quota)) {
        throw Error("/linux/resources/cpu/burst: must not exceed quota");
    }
}

std::uint64_t as_v1_limit(std::int64_t v) {
    return v < 0 ? std::numeric_limits<std::uint64_t>::max() : static_cast<std::uint64_t>(v);
}

}  // namespace

void V1Manager::apply(const spec::Resources& r) {
    validate(r);
    if (!r.devices.empty()) apply_devices(r.devices);
    if (r.memory) apply_memory(*r.memory);
    if (r.cpu) apply_cpu(*r.cpu);
    if (r.pids) {
        write_control(need("pids", "/linux/resources/pids").file("pids.max"),
                      pids_max(r.pids->limit), "/linux/resources/pids/limit");
    }
    if (r.block_io) apply_block_io(*r.block_io);
    if (!r.hugepage_limits.empty()) apply_hugepages(r.hugepage_limits);
    if (r.network) apply_network(*r.network);
    if (!r.rdma.empty()) apply_rdma(r.rdma);
    if (!r.unified.empty()) {
        Hierarchy* u = unified();
        if (!u) {
            throw Error("/linux/resources/unified/" + r.unified.begin()->first +
                        ": cgroup v2 is not mounted on this host (pure cgroup v1)");
        }
        write_unified(*u, r.unified);
    }
}

void V1Manager::apply_devices(const std::vector<spec::DeviceCgroupRule>& rules) {
    const std::string field = "/linux/resources/devices";
    auto& h = need("devices", field);
    // Start from nothing, then replay the rules in config order, as the spec requires.
    write_control(h.file("devices.deny"), "a", field);
    for (size_t i = 0; i < rules.size(); ++i) {
        write_control(h.file(rules[i].allow ? "devices.allow" : "devices.deny"),
                      device_rule_v1(rules[i]), field + "/" + std::to_string(i));
    }
}

void V1Manager::apply_memory(const spec::MemoryResources& m) {
    const std::string F = "/linux/resources/memory/";
    auto& h = need("memory", "/linux/resources/memory");
    const std::string limit_file = h.file("memory.limit_in_bytes");
    const std::string memsw_file = h.file("memory.memsw.limit_in_bytes");
    // 0 means "not set", as runc reads it.
    bool has_swap = m.swap && *m.swap != 0;
    std::int64_t swap = has_swap ? *m.swap : 0;
    // An unlimited memory limit with swap left out makes memory+swap unlimited too (the kernel
    // keeps memsw >= limit, so a limit of -1 under an earlier memsw is refused), as runc does.
    if (m.limit && *m.limit == -1 && !has_swap && file_exists(memsw_file)) {
        has_swap = true;
        swap = -1;
    }
    if (has_swap && !file_exists(memsw_file)) {
        throw Error(F + "swap: swap accounting is not enabled on this host (" + memsw_file +
                    " does not exist; boot with swapaccount=1)");
    }
    if (m.check_before_update.value_or(false) && m.limit && *m.limit > 0) {
        std::uint64_t usage = read_u64(h.file("memory.usage_in_bytes"));
        if (static_cast<std::uint64_t>(*m.limit) < usage) {
            throw Error(F + "limit: " + std::to_string(*m.limit) + " is below the current usage " +
                        std::to_string(usage) + " (checkBeforeUpdate)");
        }
    }
    // The kernel keeps memsw >= limit at every step, so the order of the two writes depends on
    // whether the new limit fits under the current memsw.
    if (m.limit && has_swap) {
        std::uint64_t cur_memsw = read_u64(memsw_file);
        bool memsw_first = swap == -1 || as_v1_limit(*m.limit) > cur_memsw;
        if (memsw_first) write_control(memsw_file, v1_memory_value(swap, F + "swap"), F + "swap");
        write_control(limit_file, v1_memory_value(*m.limit, F + "limit"), F + "limit");
        if (!memsw_first) write_control(memsw_file, v1_memory_value(swap, F + "swap"), F + "swap");
    } else if (m.limit) {
        try {
            write_control(limit_file, v1_memory_value(*m.limit, F + "limit"), F + "limit");
        } catch (const Error& e) {
            if (e.code() == EINVAL && file_exists(memsw_file) &&
                as_v1_limit(*m.limit) > read_u64(memsw_file)) {
                throw Error(std::string(e.what()) +
                                " (the current memory+swap limit is lower; set swap as well)",
                            e.code());
            }
            throw;
        }
    } else if (has_swap) {
        write_control(memsw_file, v1_memory_value(swap, F + "swap"), F + "swap");
    }
    if (m.reservation) {
        write_control(h.file("memory.soft_limit_in_bytes"),
                      v1_memory_value(*m.reservation, F + "reservation"), F + "reservation");
    }
    // Kernel memory limits are gone from newer kernels; configs still carry them.
    auto kernel_limit = [&](const std::optional<std::int64_t>& v, const char* file,
                            const char* name) {
        if (!v) return;
        if (!file_exists(h.file(file))) {
            log_.warn(F + name + ": " + h.file(file) + " does not exist on this kernel; ignored");
            return;
        }
        write_control(h.file(file), v1_memory_value(*v, F + name), F + name);
    };
    kernel_limit(m.kernel, "memory.kmem.limit_in_bytes", "kernel");
    kernel_limit(m.kernel_tcp, "memory.kmem.tcp.limit_in_bytes", "kernelTCP");
    if (m.swappiness) {
        write_control(h.file("memory.swappiness"), std::to_string(*m.swappiness), F + "swappiness");
    }
    if (m.disable_oom_killer) {
        write_control(h.file("memory.oom_control"), *m.disable_oom_killer ? "1" : "0",
                      F + "disableOOMKiller");
    }
    if (m.use_hierarchy) {
        write_control(h.file("memory.use_hierarchy"), *m.use_hierarchy ? "1" : "0",
                      F + "useHierarchy");
    }
}

void V1Manager::apply_cpu(const spec::CpuResources& c) {
    const std::string F = "/linux/resources/cpu/";
    if (c.shares || c.quota || c.period || c.burst || c.realtime_runtime || c.realtime_period ||
        c.idle) {
        auto& h = need("cpu", "/linux/resources/cpu");
        if (c.shares) write_control(h.file("cpu.shares"), std::to_string(*c.shares), F + "shares");
        // A smaller period can be refused (EINVAL) while the old quota over it exceeds what a
        // parent cgroup's own limit allows; with a new quota coming, write the period again
        // after it, as runc does.
        bool period_after_quota = false;
        if (c.period) {
            try {
                write_control(h.file("cpu.cfs_period_us"), std::to_string(*c.period), F + "period");
            } catch (const Error& e) {
                if (e.code() != EINVAL || !c.quota) throw;
                period_after_quota = true;
            }
        }
        // The kernel wants burst <= quota at every step: lower the burst first if needed.
        bool burst_first =
            c.burst && c.quota && *c.quota > 0 &&
            read_u64(h.file("cpu.cfs_burst_us")) > static_cast<std::uint64_t>(*c.quota);
        if (burst_first) {
            write_control(h.file("cpu.cfs_burst_us"), std::to_string(*c.burst), F + "burst");
        }
        if (c.quota) {
            write_control(h.file("cpu.cfs_quota_us"), std::to_string(*c.quota < 0 ? -1 : *c.quota),
                          F + "quota");
        }
        if (period_after_quota) {
            write_control(h.file("cpu.cfs_period_us"), std::to_string(*c.period), F + "period");
        }
        if (c.burst && !burst_first) {
            write_control(h.file("cpu.cfs_burst_us"), std::to_string(*c.burst), F + "burst");
        }
        if (c.realtime_period) {
            write_control(h.file("cpu.rt_period_us"), std::to_string(*c.realtime_period),
                          F + "realtimePeriod");
        }
        if (c.realtime_runtime) {
            write_control(h.file("cpu.rt_runtime_us"), std::to_string(*c.realtime_runtime),
                          F + "realtimeRuntime");
        }
        if (c.idle) write_control(h.file("cpu.idle"), std::to_string(*c.idle), F + "idle");
    }
    if (!c.cpus.empty() || !c.mems.empty()) {
        auto& h =
            need("cpuset", "/linux/resources/cpu/" + std::string(c.cpus.empty() ? "mems" : "cpus"));
        if (!c.cpus.empty()) write_control(h.file("cpuset.cpus"), c.cpus, F + "cpus");
        if (!c.mems.empty()) write_control(h.file("cpuset.mems"), c.mems, F + "mems");
    }
}

void V1Manager::apply_block_io(const spec::BlockIoResources& b) {
    const std::string F = "/linux/resources/blockIO/";
    auto& h = need("blkio", "/linux/resources/blockIO");
    // CFQ's blkio.weight is gone with the legacy block layer; BFQ offers blkio.bfq.weight.
    auto weight_file = [&](const std::string& base, const std::string& field) {
        if (file_exists(h.file("blkio." + base))) return h.file("blkio." + base);
        if (file_exists(h.file("blkio.bfq." + base))) return h.file("blkio.bfq." + base);
        throw Error(F + field + ": neither blkio." + base + " nor blkio.bfq." + base +
                    " exists in " + h.dir + " (no proportional-weight I/O scheduler on this host)");
    };
    if (b.weight)
        write_control(weight_file("weight", "weight"), std::to_string(*b.weight), F + "weight");
    if (b.leaf_weight) {
        write_control(weight_file("leaf_weight", "leafWeight"), std::to_string(*b.leaf_weight),
                      F + "leafWeight");
    }
    for (const auto& d : b.weight_device) {
        if (d.weight) {
            write_control(weight_file("weight_device", "weightDevice"),
                          device_value_line(d.major, d.minor, *d.weight), F + "weightDevice");
        }
        if (d.leaf_weight) {
            write_control(weight_file("leaf_weight_device", "weightDevice"),
                          device_value_line(d.major, d.minor, *d.leaf_weight), F + "weightDevice");
        }
    }
    auto throttle = [&](const std::vector<spec::BlockIoDeviceThrottle>& list, const char* file,
                        const char* field) {
        for (const auto& t : list) {
            write_control(h.file(file), device_value_line(t.major, t.minor, t.rate), F + field);
        }
    };
    throttle(b.throttle_read_bps_device, "blkio.throttle.read_bps_device", "throttleReadBpsDevice");
    throttle(b.throttle_write_bps_device, "blkio.throttle.write_bps_device",
             "throttleWriteBpsDevice");
    throttle(b.throttle_read_iops_device, "blkio.throttle.read_iops_device",
             "throttleReadIOPSDevice");
    throttle(b.throttle_write_iops_device, "blkio.throttle.write_iops_device",
             "throttleWriteIOPSDevice");
}

void V1Manager::apply_hugepages(const std::vector<spec::HugepageLimit>& limits) {
    const std::string F = "/linux/resources/hugepageLimits";
    Hierarchy* v1 = nullptr;
    for (auto& h : hier_) {
        if (!h.v2 && h.has("hugetlb")) v1 = &h;
    }
    Hierarchy* u = unified();
    if (!v1 && u) enable_controller(*u, "hugetlb", F);  // hybrid: hugetlb may live on cgroup2
    if (!v1 && !u) throw Error(F + ": the hugetlb cgroup controller is not mounted on this host");
    for (const auto& l : limits) {
        const std::string field = F + "/" + l.page_size;
        std::string limit_file = v1 ? v1->file(hugetlb_v1_limit_file(l.page_size))
                                    : u->file(hugetlb_v2_max_file(l.page_size));
        std::string rsvd_file = v1 ? v1->file(hugetlb_v1_rsvd_file(l.page_size))
                                   : u->file(hugetlb_v2_rsvd_file(l.page_size));
        if (!file_exists(limit_file)) {
            throw Error(field + ": page size not supported by this kernel (" + limit_file +
                        " does not exist)");
        }
        write_control(limit_file, std::to_string(l.limit), field);
        if (file_exists(rsvd_file)) write_control(rsvd_file, std::to_string(l.limit), field);
    }
}

void V1Manager::apply_network(const spec::NetworkResources& n) {
    const std::string F = "/linux/resources/network/";
    if (n.class_id) {
        write_control(need("net_cls", F + "classID").file("net_cls.classid"),
                      std::to_string(*n.class_id), F + "classID");
    }
    if (!n.priorities.empty()) {
        auto& h = need("net_prio", F + "priorities");
        for (const auto& p : n.priorities) {
            write_control(h.file("net_prio.ifpriomap"), ifpriomap_line(p), F + "priorities");
        }
    }
}

void V1Manager::apply_rdma(const std::map<std::string, spec::RdmaLimit>& rdma) {
    const std::string F = "/linux/resources/rdma/";
    Hierarchy* h = nullptr;
    for (auto& x : hier_) {
        if (!x.v2 && x.has("rdma")) h = &x;
    }
    if (!h) {
        if (Hierarchy* u = unified()) {
            enable_controller(*u, "rdma", F + rdma.begin()->first);
            h = u;
        } else {
            throw Error(F + rdma.begin()->first + ": the rdma cgroup controller is not mounted");
        }
    }
    for (const auto& [dev, limit] : rdma) {
        write_control(h->file("rdma.max"), rdma_max_line(dev, limit), F + dev);
    }
}

}  // namespace hull::cgroups
