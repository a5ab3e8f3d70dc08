#include <memory>

#include "runtime/cli/verbs.hpp"

namespace hull::cli {

void add_start(CLI::App& app, Chosen& chosen) {
    auto* cmd = app.add_subcommand("start", "run the user-defined process of a created container");
    auto id = std::make_shared<std::string>();
    cmd->add_option("id", *id, "container id")->required();
    cmd->callback([&chosen, id] {
        chosen.action = [id](runtime::Context& ctx) {
            runtime::cmd_start(ctx, *id);
            return 0;
        };
    });
}

}  // namespace hull::cli
