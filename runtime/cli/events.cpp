#include <memory>

#include "base/duration.hpp"
#include "base/error.hpp"
#include "runtime/cli/verbs.hpp"

namespace hull::cli {

namespace {

struct EventsOptions {
    std::string id;
    bool stats_once = false;
    std::string interval = "5s";
};

}  // namespace

void add_events(CLI::App& app, Chosen& chosen) {
    auto* cmd = app.add_subcommand(
        "events", "display a container's events: OOM notifications and resource usage statistics");
    auto o = std::make_shared<EventsOptions>();
    cmd->add_flag("--stats", o->stats_once, "print the stats once and exit");
    cmd->add_option("--interval", o->interval,
                    "time between stats, as a Go duration: 5s, 500ms, 1m30s (default 5s)");
    cmd->add_option("id", o->id, "container id")->required();
    cmd->callback([&chosen, o] {
        chosen.action = [o](runtime::Context& ctx) {
            auto interval = parse_duration(o->interval, "--interval");
            if (interval.count() <= 0) throw Error("--interval: must be above zero");
            runtime::cmd_events(ctx, o->id, o->stats_once, interval);
            return 0;
        };
    });
}

}  // namespace hull::cli
