// `hull kill [--all] ID [SIGNAL]`: signals go through a pidfd verified against init's
// start time, so a reused pid is never signalled.
#include <signal.h>

#include <optional>

#include "base/error.hpp"
#include "base/syscalls.hpp"
#include "runtime/container_dir.hpp"
#include "runtime/container_record.hpp"
#include "runtime/container_status.hpp"
#include "runtime/lifecycle.hpp"
#include "runtime/process_identity.hpp"
#include "runtime/signals.hpp"

namespace hull::runtime {

void cmd_kill(Context& ctx, const std::string& id, const std::string& signal_text, bool all) {
    std::optional<int> requested;
    if (!signal_text.empty()) requested = parse_signal(signal_text);
    ContainerDir dir = ContainerDir::open(ctx.options.root, id);
    ContainerRecord record = load_record(dir);
    // No signal: SIGTERM, or for a system container its init's own halt signal (README
    // "System containers"). Signal 0 sends nothing and only tells whether init is alive.
    int sig = requested.value_or(record.system_container && record.halt_signal ? record.halt_signal
                                                                               : SIGTERM);
    auto cgroup = reopen_cgroup(record, ctx.log);
    std::string status = live_status(dir.path(), record, cgroup.get());
    if (status == "stopped" && !all) throw Error("container not running");
    if (all && cgroup) {
        cgroup->kill_all(sig);
    } else {
        unique_fd pidfd = open_verified_pidfd(record.pid, record.start_time);
        if (!pidfd) throw Error("container not running");
        if (sys::pidfd_send_signal(pidfd.get(), sig) < 0) throw_errno("kill container init");
    }
    // A frozen task only acts on SIGKILL once thawed.
    if (sig == SIGKILL && status == "paused" && cgroup) cgroup->thaw();
}

}  // namespace hull::runtime
