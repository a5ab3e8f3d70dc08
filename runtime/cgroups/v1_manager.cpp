#include "runtime/cgroups/v1_manager.hpp"

#include <fcntl.h>

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <sstream>

#include "base/error.hpp"
#include "base/file.hpp"
#include "runtime/cgroups/convert.hpp"

namespace hull::cgroups {

Hierarchy& V1Manager::need(const std::string& controller, const std::string& field) {
    for (auto& h : hier_) {
        if (!h.v2 && h.has(controller)) return h;
    }
    throw Error(field + ": the " + controller + " cgroup controller is not mounted on this host");
}

void V1Manager::after_mkdir(Hierarchy& h) {
    if (h.v2 || !h.has("cpuset")) return;
    // A new cpuset cgroup starts with empty cpus/mems and refuses tasks until they are set,
    // so each level down to ours inherits its parent's.
    std::string parent = h.mountpoint;
    std::istringstream rest(h.dir.substr(h.mountpoint.size()));
    std::string part;
    while (std::getline(rest, part, '/')) {
        if (part.empty()) continue;
        std::string level = parent + "/" + part;
        for (const char* file : {"cpuset.cpus", "cpuset.mems"}) {
            if (read_control(level + "/" + file).empty()) {
                write_control(level + "/" + file, read_control(parent + "/" + file),
                              std::string("initialise ") + file + " of " + level);
            }
        }
        parent = level;
    }
}

void V1Manager::set_freezer(const std::string& state) {
    auto& h = need("freezer", state == "FROZEN" ? "freeze" : "thaw");
    const std::string file = h.file("freezer.state");
    write_control(file, state, "set " + file);
    // FREEZING can stall while a task is in an uninterruptible sleep; asking again retries.
    bool done = wait_until(
        [&] {
            if (read_control(file) == state) return true;
            write_control(file, state, "set " + file);
            return false;
        },
        10000);
    if (!done) {
        if (state == "FROZEN") write_control(file, "THAWED", "set " + file);
        throw Error("cgroup " + h.dir + " did not become " + state);
    }
}

void V1Manager::freeze() {
    set_freezer("FROZEN");
}
void V1Manager::thaw() {
    set_freezer("THAWED");
}

bool V1Manager::frozen() {
    for (auto& h : hier_) {
        if (!h.v2 && h.has("freezer")) {
            if (!file_exists(h.file("freezer.state"))) return false;
            return read_control(h.file("freezer.state")) != "THAWED";
        }
    }
    return false;
}

void V1Manager::kill_all(int sig) {
    bool have_freezer = false;
    for (auto& h : hier_)
        have_freezer = have_freezer || (!h.v2 && h.has("freezer"));
    signal_all_frozen(sig,
                      have_freezer && file_exists(need("freezer", "kill").file("freezer.state")));
}

Stats V1Manager::stats() {
    Stats s;
    for (auto& h : hier_) {
        if (h.v2) continue;
        if (h.has("cpuacct")) {
            s.cpu.usage_total = read_u64(h.file("cpuacct.usage"));
            s.cpu.usage_user = read_u64(h.file("cpuacct.usage_user"));
            s.cpu.usage_kernel = read_u64(h.file("cpuacct.usage_sys"));
            if (file_exists(h.file("cpuacct.usage_percpu"))) {
                std::istringstream in(read_control(h.file("cpuacct.usage_percpu")));
                std::uint64_t v;
                while (in >> v)
                    s.cpu.usage_percpu.push_back(v);
            }
        }
        if (h.has("cpu") && file_exists(h.file("cpu.stat"))) {
            auto st = parse_flat_keyed(read_file(h.file("cpu.stat")));
            s.cpu.throttling_periods = st["nr_periods"];
            s.cpu.throttled_periods = st["nr_throttled"];
            s.cpu.throttled_time = st["throttled_time"];
        }
        if (h.has("memory")) {
            auto entry = [&](const std::string& prefix) {
                MemoryEntry e;
                e.usage = read_u64(h.file(prefix + "usage_in_bytes"));
                e.max_usage = read_u64(h.file(prefix + "max_usage_in_bytes"));
                e.limit = read_u64(h.file(prefix + "limit_in_bytes"));
                e.failcnt = read_u64(h.file(prefix + "failcnt"));
                return e;
            };
            s.memory.usage = entry("memory.");
            s.memory.swap = entry("memory.memsw.");
            s.memory.kernel = entry("memory.kmem.");
            s.memory.kernel_tcp = entry("memory.kmem.tcp.");
            if (file_exists(h.file("memory.stat"))) {
                s.memory.raw = parse_flat_keyed(read_file(h.file("memory.stat")));
                s.memory.cache = s.memory.raw["cache"];
            }
            if (file_exists(h.file("memory.oom_control"))) {
                s.memory.oom_kills =
                    parse_flat_keyed(read_file(h.file("memory.oom_control")))["oom_kill"];
            }
            s.memory.use_hierarchy = read_u64(h.file("memory.use_hierarchy")) == 1;
        }
        if (h.has("pids")) {
            s.pids.current = read_u64(h.file("pids.current"));
            s.pids.limit = read_u64(h.file("pids.max"));
        }
        if (h.has("blkio")) {
            for (const char* prefix : {"blkio.", "blkio.throttle."}) {
                std::string bytes = h.file(std::string(prefix) + "io_service_bytes_recursive");
                std::string ios = h.file(std::string(prefix) + "io_serviced_recursive");
                if (!file_exists(bytes)) continue;
                s.blkio.io_service_bytes_recursive = parse_blkio_v1(read_file(bytes));
                if (file_exists(ios))
                    s.blkio.io_serviced_recursive = parse_blkio_v1(read_file(ios));
                break;
            }
        }
        if (h.has("hugetlb")) {
            for (const auto& size : host_page_sizes()) {
                std::string p = h.file("hugetlb." + size + ".");
                s.hugetlb[size] = {read_u64(p + "usage_in_bytes"),
                                   read_u64(p + "max_usage_in_bytes"), read_u64(p + "failcnt")};
            }
        }
    }
    if (Hierarchy* u = unified(); u && s.hugetlb.empty()) {
        for (const auto& size : host_page_sizes()) {
            std::string p = u->file("hugetlb." + size + ".");
            if (!file_exists(p + "current")) continue;
            HugetlbStats hs;
            hs.usage = read_u64(p + "current");
            hs.failcnt = parse_flat_keyed(read_file(p + "events"))["max"];
            s.hugetlb[size] = hs;
        }
    }
    return s;
}

int V1Manager::cgroup_fd_for_clone() {
    Hierarchy* h = unified();
    if (!h) return -1;
    if (!unified_fd_.valid()) unified_fd_ = open_fd(h->dir, O_RDONLY | O_DIRECTORY);
    return unified_fd_.get();
}

void V1Manager::join_self() {
    for (const auto& h : hier_)
        if (!h.v2) write_control(h.file("tasks"), "0", "join cgroup " + h.dir);
}

}  // namespace hull::cgroups
