#include <memory>

#include "runtime/cli/verbs.hpp"

namespace hull::cli {

namespace {

struct PsOptions {
    std::string id;
    std::string format = "table";
};

}  // namespace

void add_ps(CLI::App& app, Chosen& chosen) {
    auto* cmd = app.add_subcommand("ps", "display the processes running inside a container");
    auto o = std::make_shared<PsOptions>();
    cmd->add_option("-f,--format", o->format, "table or json")
        ->check(CLI::IsMember({"table", "json"}));
    cmd->add_option("id", o->id, "container id")->required();
    cmd->prefix_command();
    cmd->callback([&chosen, o, cmd] {
        chosen.action = [o, cmd](runtime::Context& ctx) {
            auto args = cmd->remaining();
            if (!args.empty() && args.front() == "--") args.erase(args.begin());
            runtime::cmd_ps(ctx, o->id, o->format, args);
            return 0;
        };
    });
}

}  // namespace hull::cli
