// `hull run`: create + start; in the foreground, wait, then delete.
#include <sys/prctl.h>

#include "base/error.hpp"
#include "runtime/foreground.hpp"
#include "runtime/lifecycle.hpp"

namespace hull::runtime {

int cmd_run(Context& ctx, const CreateOptions& options, bool detach) {
    if (detach) {
        cmd_create(ctx, options);
        try {
            cmd_start(ctx, options.id);
        } catch (...) {
            cmd_delete(ctx, options.id, true);
            throw;
        }
        return 0;
    }
    // When init is not our direct child (a second fork for pid/time namespaces), it is
    // reparented to us so that we can still reap it.
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
    CreatedContainer container = create_container(ctx, options, true);
    int status;
    try {
        cmd_start(ctx, options.id);
        status =
            wait_foreground(container.pid, container.pidfd.get(), container.console_master.get());
    } catch (...) {
        cmd_delete(ctx, options.id, true);
        throw;
    }
    cmd_delete(ctx, options.id, true);
    return status;
}

}  // namespace hull::runtime
