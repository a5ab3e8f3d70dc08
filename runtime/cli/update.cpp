#include <memory>

#include "runtime/cli/verbs.hpp"

namespace hull::cli {

namespace {

void add_memory_flags(CLI::App* cmd, runtime::UpdateOptions& o) {
    cmd->add_option("--memory", o.memory, "memory limit (e.g. 512m, -1 for none)");
    cmd->add_option("--memory-reservation", o.memory_reservation, "memory soft limit");
    cmd->add_option("--memory-swap", o.memory_swap, "memory plus swap limit");
    cmd->add_option("--kernel-memory", o.kernel_memory, "kernel memory limit");
    cmd->add_option("--kernel-memory-tcp", o.kernel_memory_tcp, "kernel TCP buffer limit");
}

void add_cpu_flags(CLI::App* cmd, runtime::UpdateOptions& o) {
    cmd->add_option("--cpu-share", o.cpu_shares, "CPU shares");
    cmd->add_option("--cpu-period", o.cpu_period, "CFS period (µs)");
    cmd->add_option("--cpu-quota", o.cpu_quota, "CFS quota (µs)");
    cmd->add_option("--cpu-rt-period", o.cpu_rt_period, "real-time period (µs)");
    cmd->add_option("--cpu-rt-runtime", o.cpu_rt_runtime, "real-time runtime (µs)");
    cmd->add_option("--cpuset-cpus", o.cpuset_cpus, "CPUs allowed (e.g. 0-1)");
    cmd->add_option("--cpuset-mems", o.cpuset_mems, "memory nodes allowed");
}

}  // namespace

const runtime::UpdateOptions& add_update(CLI::App& app, Chosen& chosen) {
    auto* cmd = app.add_subcommand("update", "update a container's resource limits");
    auto o = std::make_shared<runtime::UpdateOptions>();
    cmd->add_option("-r,--resources", o->resources_file,
                    "linux.resources JSON file, or - for stdin");
    add_memory_flags(cmd, *o);
    add_cpu_flags(cmd, *o);
    cmd->add_option("--pids-limit", o->pids_limit, "maximum number of pids");
    cmd->add_option("--blkio-weight", o->blkio_weight, "block IO weight (10-1000)");
    cmd->add_option("id", o->id, "container id")->required();
    cmd->callback([&chosen, o] {
        chosen.action = [o](runtime::Context& ctx) {
            runtime::cmd_update(ctx, *o);
            return 0;
        };
    });
    return *o;
}

}  // namespace hull::cli
