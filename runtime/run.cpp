// `hull run`: create + start; in the foreground, wait, then delete.
#include <sys/prctl.h>

#include "base/error.hpp"
#include "runtime/container.hpp"
#include "runtime/create_plan.hpp"
#include "runtime/foreground.hpp"
#include "runtime/lifecycle.hpp"
#include "runtime/namespaces.hpp"
#include "runtime/system/console_client.hpp"
#include "runtime/system/supervisor.hpp"

namespace hull::runtime {

namespace {

bool stopped(Context& ctx, const std::string& id) {
    try {
        return Container::open(ctx, id).status() == Status::stopped;
    } catch (const Error&) {
        return true;  // deleted meanwhile
    }
}

// In the foreground a system container is attached to like `hull console`: detaching leaves
// it running; once it has halted, it is deleted.
int run_system_container(Context& ctx, const CreateOptions& options, CreatePlan plan, bool detach) {
    system::create_supervised(ctx, options, std::move(plan), supervised_build(ctx, options));
    try {
        cmd_start(ctx, options.id);
    } catch (...) {
        cmd_delete(ctx, options.id, true, 0);
        throw;
    }
    if (detach) return 0;
    system::cmd_console(ctx, options.id, "");
    if (stopped(ctx, options.id)) cmd_delete(ctx, options.id, true, 0);
    return 0;
}

}  // namespace

int cmd_run(Context& ctx, const CreateOptions& options, const RunFlags& flags) {
    CreatePlan plan = plan_create(ctx, options);
    if (plan.system) {
        if (flags.keep)
            throw Error("--keep: not for a system container (it is deleted once halted)");
        if (flags.no_subreaper)
            throw Error("--no-subreaper: not for a system container (its supervisor reaps init)");
        return run_system_container(ctx, options, std::move(plan), flags.detach);
    }
    auto remove = [&] {
        if (!flags.keep) cmd_delete(ctx, options.id, true);
    };
    if (flags.detach) {
        // A detached run never adopts anything: --no-subreaper holds as it is.
        build_container(ctx, options, plan, false, nullptr);
        try {
            cmd_start(ctx, options.id);
        } catch (...) {
            remove();
            throw;
        }
        return 0;
    }
    if (flags.no_subreaper) {
        // Without the subreaper, an init made by a second fork would not be ours to reap.
        if (plan_namespaces(plan.config).second_fork)
            throw Error(
                "--no-subreaper: init needs a second fork here (a pid or time namespace "
                "joined by path), and only a subreaper can collect its exit status");
    } else {
        // When init is not our direct child (a second fork for pid/time namespaces), it is
        // reparented to us so that we can still reap it; so are the container's orphans when
        // it shares our pid namespace, as with runc.
        ::prctl(PR_SET_CHILD_SUBREAPER, 1);
    }
    CreatedContainer container = build_container(ctx, options, plan, true, nullptr);
    int status;
    try {
        cmd_start(ctx, options.id);
        status =
            wait_foreground(container.pid, container.pidfd.get(), container.console_master.get());
    } catch (...) {
        remove();
        throw;
    }
    remove();
    return status;
}

}  // namespace hull::runtime
