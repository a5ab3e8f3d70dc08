#include "runtime/system/system_containers.hpp"

#include <signal.h>
#include <unistd.h>

#include <memory>

#include "base/error.hpp"
#include "base/syscalls.hpp"
#include "runtime/container.hpp"
#include "runtime/process_identity.hpp"
#include "runtime/system/console_client.hpp"
#include "runtime/system/machine_registration.hpp"
#include "runtime/system/supervisor.hpp"

namespace hull::system_container {

namespace {

constexpr int kExitWaitMs = 10000;

// A system container's supervisor: told not to reboot any more (it keeps relaying the console
// while init halts, so that a full console never stalls the shutdown).
unique_fd retire_monitor(const runtime::ContainerRecord& record) {
    if (!record.system) return {};
    unique_fd pidfd =
        runtime::open_verified_pidfd(record.system->monitor_pid, record.system->monitor_start_time);
    if (pidfd) sys::pidfd_send_signal(pidfd.get(), SIGUSR1);
    return pidfd;
}

// Asks a running system container's init to halt, and gives it timeout_s to do so.
void halt_gracefully(const runtime::ContainerRecord& record, runtime::Status status, int timeout_s,
                     Logger& log) {
    if (!record.system || status != runtime::Status::running || timeout_s <= 0 ||
        !record.system->halt_signal)
        return;
    unique_fd pidfd = runtime::open_verified_pidfd(record.pid, record.start_time);
    if (!pidfd || sys::pidfd_send_signal(pidfd.get(), record.system->halt_signal) < 0) return;
    if (!runtime::wait_for_exit(pidfd.get(), timeout_s * 1000))
        log.warn("container " + record.id + " did not halt within " + std::to_string(timeout_s) +
                 " s, killing it");
}

// The supervisor ends once init has; its last act is writing console.log, which must be done
// before the directory goes.
void wait_for_monitor(int pidfd) {
    if (pidfd < 0 || runtime::wait_for_exit(pidfd, kExitWaitMs / 2)) return;
    sys::pidfd_send_signal(pidfd, SIGKILL);
    runtime::wait_for_exit(pidfd, kExitWaitMs);
}

bool stopped(runtime::Context& ctx, const std::string& id) {
    try {
        return runtime::Container::open(ctx, id).status() == runtime::Status::stopped;
    } catch (const Error&) {
        return true;  // deleted meanwhile
    }
}

}  // namespace

bool SystemContainers::claims(const spec::Config& config) const {
    return wants_system_container(config, flags_);
}

void SystemContainers::plan(runtime::Context& ctx, const runtime::CreateOptions& options,
                            runtime::CreatePlan& plan) const {
    SystemPlan system = plan_system_container(plan.config, plan.rootfs, flags_, options.id,
                                              options.console_socket, ctx.log);
    runtime::SystemRecord& record = plan.system_record.emplace();
    record.halt_signal = system.adjustments.halt_signal;
    record.uuid = system.uuid;
    plan.console_held_by_supervisor = true;
    plan.extension_plan = std::move(system);
}

void SystemContainers::create(runtime::Context& ctx, const runtime::CreateOptions& options,
                              runtime::CreatePlan plan, runtime::BuildContainer build) const {
    create_supervised(ctx, options, std::move(plan), std::move(build));
}

// In the foreground a system container is attached to like `hull console`: detaching leaves
// it running; once it has halted, it is deleted.
int SystemContainers::run(runtime::Context& ctx, const runtime::CreateOptions& options,
                          runtime::CreatePlan plan, const runtime::RunFlags& flags,
                          runtime::BuildContainer build) const {
    if (flags.keep) throw Error("--keep: not for a system container (it is deleted once halted)");
    if (flags.no_subreaper)
        throw Error("--no-subreaper: not for a system container (its supervisor reaps init)");
    create_supervised(ctx, options, std::move(plan), std::move(build));
    try {
        runtime::cmd_start(ctx, options.id);
    } catch (...) {
        runtime::cmd_delete(ctx, options.id, true, 0);
        throw;
    }
    if (flags.detach) return 0;
    cmd_console(ctx, options.id, "");
    if (stopped(ctx, options.id)) runtime::cmd_delete(ctx, options.id, true, 0);
    return 0;
}

std::function<void()> SystemContainers::before_kill(runtime::Context& ctx,
                                                    const runtime::ContainerRecord& record,
                                                    runtime::Status status, int timeout_s) const {
    // Shared, as std::function must be copyable.
    auto monitor = std::make_shared<unique_fd>(retire_monitor(record));
    halt_gracefully(record, status, timeout_s, ctx.log);
    return [monitor, id = record.id, &log = ctx.log] {
        wait_for_monitor(monitor->get());
        // The supervisor unregisters on its way out; this is for one that was killed.
        unregister_machine(id, log);
    };
}

}  // namespace hull::system_container
