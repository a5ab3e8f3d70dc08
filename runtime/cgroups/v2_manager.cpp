#include "runtime/cgroups/v2_manager.hpp"

#include <fcntl.h>
#include <signal.h>

#include <algorithm>
#include <cerrno>
#include <sstream>

#include "base/error.hpp"
#include "base/file.hpp"
#include "runtime/cgroups/convert.hpp"
#include "runtime/cgroups/unified.hpp"

namespace hull::cgroups {

const std::vector<std::string>& v2_wanted_controllers() {
    static const std::vector<std::string> wanted = {"cpuset",  "cpu",  "io",   "memory",
                                                    "hugetlb", "pids", "rdma", "misc"};
    return wanted;
}

void V2Manager::after_mkdir(Hierarchy& h) {
    // Turn on what the parents offer; a controller that cannot be enabled only matters when a
    // resource needs it, and apply() then names the field.
    for (const auto& c : v2_wanted_controllers()) {
        try {
            enable_controller(h, c, "enable controller " + c);
        } catch (const Error& e) {
            log_.debug(std::string("cgroups: ") + e.what());
        }
    }
}

int V2Manager::cgroup_fd_for_clone() {
    if (!dir_fd_.valid()) {
        dir_fd_ = open_fd(dir().dir, O_RDONLY | O_DIRECTORY);
    }
    return dir_fd_.get();
}

void V2Manager::set_frozen(bool want) {
    auto& h = dir();
    write_control(h.file("cgroup.freeze"), want ? "1" : "0", want ? "freeze" : "thaw");
    bool done = wait_until([&] { return frozen() == want; }, 10000);
    if (!done) {
        if (want) write_control(h.file("cgroup.freeze"), "0", "thaw");
        throw Error("cgroup " + h.dir + " did not become " + (want ? "frozen" : "thawed"));
    }
}

void V2Manager::freeze() {
    set_frozen(true);
}
void V2Manager::thaw() {
    set_frozen(false);
}

bool V2Manager::frozen() {
    const std::string events = dir().file("cgroup.events");
    if (!file_exists(events)) return false;
    return parse_flat_keyed(read_file(events))["frozen"] == 1;
}

void V2Manager::kill_all(int sig) {
    auto& h = dir();
    if (sig == SIGKILL && file_exists(h.file("cgroup.kill"))) {
        write_control(h.file("cgroup.kill"), "1", "kill cgroup " + h.dir);
        return;
    }
    signal_all_frozen(sig, true);
}

Stats V2Manager::stats() {
    auto& h = dir();
    Stats s;
    if (file_exists(h.file("cpu.stat"))) {
        auto st = parse_flat_keyed(read_file(h.file("cpu.stat")));
        s.cpu.usage_total = st["usage_usec"] * 1000;
        s.cpu.usage_user = st["user_usec"] * 1000;
        s.cpu.usage_kernel = st["system_usec"] * 1000;
        s.cpu.throttling_periods = st["nr_periods"];
        s.cpu.throttled_periods = st["nr_throttled"];
        s.cpu.throttled_time = st["throttled_usec"] * 1000;
    }
    if (file_exists(h.file("memory.current"))) {
        s.memory.usage.usage = read_u64(h.file("memory.current"));
        s.memory.usage.max_usage = read_u64(h.file("memory.peak"));
        s.memory.usage.limit = read_u64(h.file("memory.max"), UINT64_MAX);
        s.memory.swap.usage = read_u64(h.file("memory.swap.current"));
        s.memory.swap.max_usage = read_u64(h.file("memory.swap.peak"));
        s.memory.swap.limit = read_u64(h.file("memory.swap.max"), UINT64_MAX);
        s.memory.raw = parse_flat_keyed(read_file(h.file("memory.stat")));
        s.memory.cache = s.memory.raw["file"];
        s.memory.kernel.usage = s.memory.raw["kernel"];
        if (file_exists(h.file("memory.events"))) {
            auto ev = parse_flat_keyed(read_file(h.file("memory.events")));
            s.memory.oom_kills = ev["oom_kill"];
            s.memory.usage.failcnt = ev["max"];
        }
        s.memory.use_hierarchy = true;
    }
    if (file_exists(h.file("pids.current"))) {
        s.pids.current = read_u64(h.file("pids.current"));
        s.pids.limit = read_u64(h.file("pids.max"));
    }
    if (file_exists(h.file("io.stat"))) parse_io_stat_v2(read_file(h.file("io.stat")), s.blkio);
    for (const auto& size : host_page_sizes()) {
        std::string p = h.file("hugetlb." + size + ".");
        if (!file_exists(p + "current")) continue;
        HugetlbStats hs;
        hs.usage = read_u64(p + "current");
        hs.failcnt = parse_flat_keyed(read_file(p + "events"))["max"];
        s.hugetlb[size] = hs;
    }
    return s;
}

}  // namespace hull::cgroups
