// `hull delete [--force] ID`: stop what is left, destroy the cgroup, run poststop hooks,
// remove the state directory. Also cleans up after a create that was killed midway.
#include <cerrno>
#include <functional>
#include <optional>

#include "base/error.hpp"
#include "bundle/host_mounts.hpp"
#include "hooks/run_hooks.hpp"
#include "runtime/container.hpp"
#include "runtime/container_extension.hpp"
#include "runtime/lifecycle.hpp"
#include "runtime/state_json.hpp"
#include "spec/parse.hpp"

namespace hull::runtime {

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
    std::function<void()> after_kill;
    if (record.system && ctx.extension)
        after_kill = ctx.extension->before_kill(ctx, record, status, timeout_s);
    container.kill_init();
    if (after_kill) after_kill();
    if (container.cgroup()) container.cgroup()->destroy();
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
