#include <memory>

#include "runtime/cli/verbs.hpp"

namespace hull::cli {

void add_id_command(CLI::App& app, Chosen& chosen, const std::string& name, const std::string& help,
                    void (*run)(runtime::Context&, const std::string&)) {
    auto* cmd = app.add_subcommand(name, help);
    auto id = std::make_shared<std::string>();
    cmd->add_option("id", *id, "container id")->required();
    cmd->callback([&chosen, id, run] {
        chosen.action = [id, run](runtime::Context& ctx) {
            run(ctx, *id);
            return 0;
        };
    });
}

}  // namespace hull::cli
