#include <memory>

#include "runtime/cli/verbs.hpp"

namespace hull::cli {

void add_pause(CLI::App& app, Chosen& chosen) {
    auto* cmd = app.add_subcommand("pause", "suspend all processes inside a container");
    auto id = std::make_shared<std::string>();
    cmd->add_option("id", *id, "container id")->required();
    cmd->callback([&chosen, id] {
        chosen.action = [id](runtime::Context& ctx) {
            runtime::cmd_pause(ctx, *id);
            return 0;
        };
    });
}

}  // namespace hull::cli
