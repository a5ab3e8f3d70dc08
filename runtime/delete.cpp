// `hull delete [--force] ID`: stop what is left, destroy the cgroup, run poststop hooks,
// remove the state directory. Also cleans up after a create that was killed midway.
#include <signal.h>

#include <cerrno>
#include <optional>

#include "base/error.hpp"
#include "base/syscalls.hpp"
#include "bundle/host_mounts.hpp"
#include "hooks/run_hooks.hpp"
#include "runtime/container.hpp"
#include "runtime/lifecycle.hpp"
#include "runtime/process_identity.hpp"
#include "runtime/state_json.hpp"
#include "runtime/system/machine_registration.hpp"
#include "spec/parse.hpp"

namespace hull::runtime {

namespace {

constexpr int kExitWaitMs = 10000;

// A system container's supervisor: told not to reboot any more (it keeps relaying the console
// while init halts, so that a full console never stalls the shutdown).
unique_fd retire_monitor(const ContainerRecord& record) {
    if (!record.system) return {};
    unique_fd pidfd =
        open_verified_pidfd(record.system->monitor_pid, record.system->monitor_start_time);
    if (pidfd) sys::pidfd_send_signal(pidfd.get(), SIGUSR1);
    return pidfd;
}

// Asks a running system container's init to halt, and gives it timeout_s to do so.
void halt_gracefully(const ContainerRecord& record, Status status, int timeout_s, Logger& log) {
    if (!record.system || status != Status::running || timeout_s <= 0 ||
        !record.system->halt_signal)
        return;
    unique_fd pidfd = open_verified_pidfd(record.pid, record.start_time);
    if (!pidfd || sys::pidfd_send_signal(pidfd.get(), record.system->halt_signal) < 0) return;
    if (!wait_for_exit(pidfd.get(), timeout_s * 1000))
        log.warn("container " + record.id + " did not halt within " + std::to_string(timeout_s) +
                 " s, killing it");
}

// The supervisor ends once init has; its last act is writing console.log, which must be done
// before the directory goes.
void wait_for_monitor(int pidfd) {
    if (pidfd < 0 || wait_for_exit(pidfd, kExitWaitMs / 2)) return;
    sys::pidfd_send_signal(pidfd, SIGKILL);
    wait_for_exit(pidfd, kExitWaitMs);
}

}  // namespace

void cmd_delete(Context& ctx, const std::string& id, bool force, int timeout_s) {
    std::optional<ContainerDir> opened;
    try {
        opened.emplace(ContainerDir::open(ctx.options.root, id));
    } catch (const Error& e) {
        // Like runc and crun: with --force, a container that is already gone is deleted.
        // containerd's shim cleans up after a dead shim with `delete --force` and logs a
        // warning for every failure, and conmon's cleanup may follow a delete of its own.
        if (force && e.code() == ENOENT) return;
        throw;
    }
    ContainerDir& dir = *opened;
    if (!has_record(dir)) {
        // A create that died before recording anything left only its directory.
        if (!force) throw Error("container does not exist: " + id);
        dir.remove();
        return;
    }
    Container container = Container::load(ctx, std::move(dir));
    const ContainerRecord& record = container.record();
    Status status = container.status();
    if (status != Status::stopped && status != Status::created && !force)
        throw Error("cannot delete container " + id +
                    " that is not stopped: " + std::string(status_name(status)));
    unique_fd monitor = retire_monitor(record);
    halt_gracefully(record, status, timeout_s, ctx.log);
    container.kill_init();
    wait_for_monitor(monitor.get());
    if (container.cgroup()) container.cgroup()->destroy();
    // The supervisor unregisters on its way out; this is for one that was killed.
    if (record.system) system::unregister_machine(record.id, ctx.log);
    if (record.shared_mount_ns)
        bundle::unmount_all_under(record.rootfs, record.rootfs_mounts_before);
    std::optional<spec::Hooks> hooks;
    if (record.status != Status::creating) {
        try {
            hooks = spec::load_validated_config(container.file("config.json")).hooks;
        } catch (const Error& e) {
            ctx.log.warn("poststop hooks of " + id + ": " + e.what());
        }
    }
    container.dir().remove();
    // config.md: poststop hooks run "after the container is deleted": for them, as for
    // `hull state`, it no longer exists.
    if (hooks)
        hooks::run_phase(hooks::Phase::poststop, *hooks, hook_state_json(record, Status::stopped),
                         ctx.log);
}

}  // namespace hull::runtime
