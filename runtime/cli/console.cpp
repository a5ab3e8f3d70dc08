#include <memory>

#include "runtime/cli/verbs.hpp"
#include "runtime/system/console_client.hpp"

namespace hull::cli {

namespace {

struct ConsoleOptions {
    std::string id;
    std::string detach_keys;
};

}  // namespace

void add_console(CLI::App& app, Chosen& chosen) {
    auto* cmd = app.add_subcommand("console",
                                   "attach to a system container's console (detach with Ctrl-])");
    auto o = std::make_shared<ConsoleOptions>();
    cmd->add_option("--detach-keys", o->detach_keys,
                    "detach sequence instead of Ctrl-]: ctrl-<x> keys, comma-separated "
                    "(e.g. ctrl-p,ctrl-q)");
    cmd->add_option("id", o->id, "container id")->required();
    cmd->callback([&chosen, o] {
        chosen.action = [o](runtime::Context& ctx) {
            return system_container::cmd_console(ctx, o->id, o->detach_keys);
        };
    });
}

}  // namespace hull::cli
