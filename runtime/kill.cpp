// `hull kill [--all] ID [SIGNAL]`: signals go through a pidfd verified against init's
// start time, so a reused pid is never signalled.
#include <signal.h>

#include <optional>

#include "base/error.hpp"
#include "runtime/container.hpp"
#include "runtime/lifecycle.hpp"
#include "runtime/signals.hpp"

namespace hull::runtime {

void cmd_kill(Context& ctx, const std::string& id, const std::string& signal_text, bool all) {
    std::optional<int> requested;
    if (!signal_text.empty()) requested = parse_signal(signal_text);
    Container container = Container::open(ctx, id);
    const ContainerRecord& record = container.record();
    // No signal: SIGTERM, or for a system container its init's own halt signal (README
    // "System containers"). Signal 0 sends nothing and only tells whether init is alive.
    int sig = requested.value_or(
        record.system && record.system->halt_signal ? record.system->halt_signal : SIGTERM);
    container.signal(sig, all);
}

}  // namespace hull::runtime
