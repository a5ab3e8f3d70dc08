#include <memory>

#include "runtime/cli/verbs.hpp"

namespace hull::cli {

namespace {

struct ListOptions {
    std::string format = "table";
    bool quiet = false;
};

}  // namespace

void add_list(CLI::App& app, Chosen& chosen) {
    auto* cmd = app.add_subcommand("list", "list the containers under the --root");
    cmd->alias("ls");
    auto o = std::make_shared<ListOptions>();
    cmd->add_option("-f,--format", o->format, "table or json")
        ->check(CLI::IsMember({"table", "json"}));
    cmd->add_flag("-q,--quiet", o->quiet, "print only container ids");
    cmd->callback([&chosen, o] {
        chosen.action = [o](runtime::Context& ctx) {
            runtime::cmd_list(ctx, o->format, o->quiet);
            return 0;
        };
    });
}

}  // namespace hull::cli
