// The commands that act on a container's cgroup: pause, resume, ps, events, update.
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <iostream>
#include <sstream>
#include <thread>

#include "base/error.hpp"
#include "base/file.hpp"
#include "base/log.hpp"
#include "runtime/cgroup_commands.hpp"
#include "runtime/container.hpp"
#include "spec/parse.hpp"

namespace hull::runtime {

namespace {

Container open_container(Context& ctx, const std::string& id) {
    Container container = Container::open(ctx, id);
    if (!container.cgroup()) throw Error("container " + id + " has no cgroup");
    return container;
}

// runc's sizes: "512", "512k", "1.5g", "64MiB" ... (binary units), or -1 for unlimited.
std::int64_t parse_size(const std::string& flag, const std::string& text) {
    if (text == "-1") return -1;
    size_t used = 0;
    double value = 0;
    try {
        value = std::stod(text, &used);
    } catch (const std::exception&) {
        throw Error("--" + flag + ": invalid size \"" + text + "\"");
    }
    std::string unit;
    for (char c : text.substr(used))
        unit += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!unit.empty() && unit.back() == 'b') unit.pop_back();
    if (unit.size() == 2 && unit[1] == 'i') unit.pop_back();
    const std::string units = "kmgtp";
    double factor = 1;
    if (unit.size() == 1 && units.find(unit[0]) != std::string::npos)
        for (size_t i = 0; i <= units.find(unit[0]); ++i)
            factor *= 1024;
    else if (!unit.empty())
        throw Error("--" + flag + ": invalid size \"" + text + "\"");
    if (value < 0) throw Error("--" + flag + ": invalid size \"" + text + "\"");
    return static_cast<std::int64_t>(value * factor);
}

spec::Resources resources_from_file(const std::string& path) {
    std::string json = path == "-" ? read_file("/dev/stdin") : read_file(path);
    // Validated exactly like config.json's linux.resources, so errors carry its pointers.
    std::string wrapped =
        R"({"ociVersion":"1.3.0","root":{"path":"rootfs"},"linux":{"resources":)" + json + "}}";
    spec::Config config = spec::parse_config(wrapped, "--resources " + path);
    return config.linux && config.linux->resources ? *config.linux->resources : spec::Resources{};
}

std::string stats_event(const std::string& id, const cgroups::Stats& stats) {
    return R"({"type":"stats","id":")" + json_escape(id) + R"(","data":)" +
           cgroups::stats_to_json(stats) + "}";
}

}  // namespace

spec::Resources resources_from_flags(const UpdateOptions& o) {
    spec::Resources r =
        o.resources_file.empty() ? spec::Resources{} : resources_from_file(o.resources_file);
    auto& mem = r.memory.emplace(r.memory.value_or(spec::MemoryResources{}));
    if (!o.memory.empty()) mem.limit = parse_size("memory", o.memory);
    if (!o.memory_reservation.empty())
        mem.reservation = parse_size("memory-reservation", o.memory_reservation);
    if (!o.memory_swap.empty()) mem.swap = parse_size("memory-swap", o.memory_swap);
    if (!o.kernel_memory.empty()) mem.kernel = parse_size("kernel-memory", o.kernel_memory);
    if (!o.kernel_memory_tcp.empty())
        mem.kernel_tcp = parse_size("kernel-memory-tcp", o.kernel_memory_tcp);
    auto& cpu = r.cpu.emplace(r.cpu.value_or(spec::CpuResources{}));
    if (o.cpu_shares) cpu.shares = *o.cpu_shares;
    if (o.cpu_quota) cpu.quota = *o.cpu_quota;
    if (o.cpu_period) cpu.period = *o.cpu_period;
    if (o.cpu_rt_period) cpu.realtime_period = *o.cpu_rt_period;
    if (o.cpu_rt_runtime) cpu.realtime_runtime = *o.cpu_rt_runtime;
    if (!o.cpuset_cpus.empty()) cpu.cpus = o.cpuset_cpus;
    if (!o.cpuset_mems.empty()) cpu.mems = o.cpuset_mems;
    if (o.pids_limit) r.pids = spec::PidsResources{*o.pids_limit};
    if (o.blkio_weight) {
        auto& io = r.block_io.emplace(r.block_io.value_or(spec::BlockIoResources{}));
        io.weight = *o.blkio_weight;
    }
    return r;
}

void cmd_pause(Context& ctx, const std::string& id) {
    Container c = open_container(ctx, id);
    Status status = c.status();
    if (status != Status::running && status != Status::created)
        throw Error("container not running");
    c.cgroup()->freeze();
}

void cmd_resume(Context& ctx, const std::string& id) {
    Container c = open_container(ctx, id);
    if (c.status() != Status::paused) throw Error("container not paused");
    c.cgroup()->thaw();
}

void cmd_ps(Context& ctx, const std::string& id, const std::string& format,
            const std::vector<std::string>& ps_args) {
    Container c = open_container(ctx, id);
    std::vector<pid_t> pids = c.cgroup()->pids();
    c.dir().unlock();
    if (format == "json") {
        std::string out = "[";
        for (size_t i = 0; i < pids.size(); ++i)
            out += (i ? "," : "") + std::to_string(pids[i]);
        std::cout << out << "]\n";
        return;
    }
    if (format != "table") throw Error("invalid format option \"" + format + "\"");
    // Like runc: the host's ps output, keeping the header and the container's processes.
    std::string cmd = "ps";
    for (const auto& a : ps_args.empty() ? std::vector<std::string>{"-ef"} : ps_args) {
        for (char ch : a)
            if (!std::isalnum(static_cast<unsigned char>(ch)) &&
                std::string("-,_=.").find(ch) == std::string::npos)
                throw Error("ps: unsupported character in argument \"" + a + "\"");
        cmd += " " + a;
    }
    FILE* pipe = ::popen(cmd.c_str(), "r");
    if (!pipe) throw_errno("run ps");
    std::string text;
    char buf[4096];
    while (size_t n = std::fread(buf, 1, sizeof buf, pipe))
        text.append(buf, n);
    if (::pclose(pipe) != 0) throw Error("ps " + cmd.substr(3) + " failed");
    std::istringstream lines(text);
    std::string header;
    std::getline(lines, header);
    std::istringstream words(header);
    size_t pid_column = 0;
    for (std::string w; words >> w && w != "PID";)
        ++pid_column;
    std::cout << header << '\n';
    for (std::string line; std::getline(lines, line);) {
        std::istringstream fields(line);
        std::string f;
        for (size_t i = 0; i <= pid_column && fields >> f;)
            ++i;
        pid_t pid = static_cast<pid_t>(std::atoi(f.c_str()));
        if (std::find(pids.begin(), pids.end(), pid) != pids.end()) std::cout << line << '\n';
    }
}

void cmd_events(Context& ctx, const std::string& id, bool stats_once,
                std::chrono::nanoseconds interval) {
    Container c = open_container(ctx, id);
    if (c.status() == Status::stopped) throw Error("container " + id + " is not running");
    c.dir().unlock();
    if (stats_once) {
        std::cout << stats_event(id, c.cgroup()->stats()) << std::endl;
        return;
    }
    std::uint64_t oom_kills = c.cgroup()->stats().memory.oom_kills;
    for (;;) {
        cgroups::Stats stats = c.cgroup()->stats();
        if (stats.memory.oom_kills > oom_kills)
            std::cout << R"({"type":"oom","id":")" << json_escape(id) << "\"}" << std::endl;
        oom_kills = stats.memory.oom_kills;
        std::cout << stats_event(id, stats) << std::endl;
        if (c.status() == Status::stopped) return;
        std::this_thread::sleep_for(interval);
    }
}

void cmd_update(Context& ctx, const UpdateOptions& options) {
    spec::Resources resources = resources_from_flags(options);
    Container c = open_container(ctx, options.id);
    if (c.status() == Status::stopped) throw Error("container " + options.id + " is not running");
    c.cgroup()->apply(resources);
}

}  // namespace hull::runtime
