#include <memory>

#include "runtime/cli/verbs.hpp"

namespace hull::cli {

namespace {

struct KillOptions {
    std::string id;
    std::string signal;
    bool all = false;
};

}  // namespace

void add_kill(CLI::App& app, Chosen& chosen) {
    auto* cmd = app.add_subcommand(
        "kill", "send a signal (default: SIGTERM) to a container's init process");
    auto o = std::make_shared<KillOptions>();
    cmd->add_flag("-a,--all", o->all, "send the signal to every process in the container");
    cmd->add_option("id", o->id, "container id")->required();
    cmd->add_option(
        "signal", o->signal,
        "signal name or number (default SIGTERM; a system container: its init's halt signal)");
    cmd->callback([&chosen, o] {
        chosen.action = [o](runtime::Context& ctx) {
            runtime::cmd_kill(ctx, o->id, o->signal, o->all);
            return 0;
        };
    });
}

}  // namespace hull::cli
