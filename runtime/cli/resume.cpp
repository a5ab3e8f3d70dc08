#include <memory>

#include "runtime/cli/verbs.hpp"

namespace hull::cli {

void add_resume(CLI::App& app, Chosen& chosen) {
    auto* cmd = app.add_subcommand("resume", "resume all processes of a paused container");
    auto id = std::make_shared<std::string>();
    cmd->add_option("id", *id, "container id")->required();
    cmd->callback([&chosen, id] {
        chosen.action = [id](runtime::Context& ctx) {
            runtime::cmd_resume(ctx, *id);
            return 0;
        };
    });
}

}  // namespace hull::cli
