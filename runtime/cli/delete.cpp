#include <memory>

#include "runtime/cli/verbs.hpp"

namespace hull::cli {

namespace {

struct DeleteOptions {
    std::string id;
    bool force = false;
    int timeout = 10;
};

}  // namespace

void add_delete(CLI::App& app, Chosen& chosen) {
    auto* cmd = app.add_subcommand("delete", "delete the resources held by a container");
    auto o = std::make_shared<DeleteOptions>();
    cmd->add_flag("-f,--force", o->force, "kill the container first if it is running");
    cmd->add_option("-t,--timeout", o->timeout,
                    "seconds a system container gets to halt before SIGKILL (default 10)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("id", o->id, "container id")->required();
    cmd->callback([&chosen, o] {
        chosen.action = [o](runtime::Context& ctx) {
            runtime::cmd_delete(ctx, o->id, o->force, o->timeout);
            return 0;
        };
    });
}

}  // namespace hull::cli
