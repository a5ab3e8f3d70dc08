// `hull delete [--force] ID`: stop what is left, destroy the cgroup, run poststop hooks,
// remove the state directory. Also cleans up after a create that was killed midway.
#include <poll.h>
#include <signal.h>

#include <cerrno>
#include <optional>

#include "base/error.hpp"
#include "base/syscalls.hpp"
#include "hooks/run_hooks.hpp"
#include "runtime/container_dir.hpp"
#include "runtime/container_record.hpp"
#include "runtime/container_status.hpp"
#include "runtime/lifecycle.hpp"
#include "runtime/process_identity.hpp"
#include "runtime/state_json.hpp"
#include "spec/parse.hpp"

namespace hull::runtime {

namespace {

constexpr int kExitWaitMs = 10000;

void kill_and_wait(const ContainerRecord& record, const std::string& status,
                   cgroups::Manager* cgroup) {
    unique_fd pidfd = open_verified_pidfd(record.pid, record.start_time);
    if (!pidfd) return;
    sys::pidfd_send_signal(pidfd.get(), SIGKILL);
    // A frozen init acts on SIGKILL only once thawed. Everything else in the cgroup is
    // destroy()'s to kill.
    if (status == "paused" && cgroup) cgroup->thaw();
    struct pollfd pfd {
        pidfd.get(), POLLIN, 0
    };
    while (::poll(&pfd, 1, kExitWaitMs) < 0 && errno == EINTR) {
    }
    if (!(pfd.revents & POLLIN)) throw Error("container init did not exit after SIGKILL");
}

}  // namespace

void cmd_delete(Context& ctx, const std::string& id, bool force) {
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
    ContainerRecord record = load_record(dir);
    auto cgroup = reopen_cgroup(record, ctx.log);
    std::string status = live_status(dir.path(), record, cgroup.get());
    if (status != "stopped" && status != "created" && !force)
        throw Error("cannot delete container " + id + " that is not stopped: " + status);
    kill_and_wait(record, status, cgroup.get());
    if (cgroup) cgroup->destroy();
    std::optional<spec::Hooks> hooks;
    if (record.status != "creating") {
        try {
            hooks = spec::load_validated_config(dir.file("config.json")).hooks;
        } catch (const Error& e) {
            ctx.log.warn("poststop hooks of " + id + ": " + e.what());
        }
    }
    dir.remove();
    // config.md: poststop hooks run "after the container is deleted": for them, as for
    // `hull state`, it no longer exists.
    if (hooks)
        hooks::run_phase(hooks::Phase::poststop, *hooks, hook_state_json(record, "stopped"),
                         ctx.log);
}

}  // namespace hull::runtime
