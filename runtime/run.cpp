// `hull run`: create + start; in the foreground, wait, then delete.
#include <sys/prctl.h>

#include "base/error.hpp"
#include "runtime/container_extension.hpp"
#include "runtime/create_plan.hpp"
#include "runtime/foreground.hpp"
#include "runtime/lifecycle.hpp"
#include "runtime/namespaces.hpp"

namespace hull::runtime {

int cmd_run(Context& ctx, const CreateOptions& options, const RunFlags& flags) {
    CreatePlan plan = plan_create(ctx, options);
    plan.start_follows = true;
    if (const ContainerExtension* extension = plan.extension)
        return extension->run(ctx, options, std::move(plan), flags, supervised_build(ctx, options));
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
