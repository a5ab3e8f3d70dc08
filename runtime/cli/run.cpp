#include <memory>

#include "runtime/cli/verbs.hpp"

namespace hull::cli {

namespace {

struct RunOptions {
    runtime::CreateOptions create;
    runtime::RunFlags flags;
};

}  // namespace

void add_run(CLI::App& app, Chosen& chosen) {
    auto* cmd = app.add_subcommand("run", "create and run a container");
    auto o = std::make_shared<RunOptions>();
    add_create_flags(cmd, o->create, chosen.system_flags);
    cmd->add_flag("-d,--detach", o->flags.detach, "detach from the container's process");
    cmd->add_flag("--keep", o->flags.keep,
                  "do not delete the container after it exits (hull delete does)");
    cmd->add_flag("--no-subreaper", o->flags.no_subreaper,
                  "do not adopt the container's orphaned processes (init must be hull's "
                  "own child: no pid or time namespace joined by path)");
    cmd->callback([&chosen, o] {
        chosen.enters_container = true;
        chosen.action = [o](runtime::Context& ctx) {
            return runtime::cmd_run(ctx, o->create, o->flags);
        };
    });
}

}  // namespace hull::cli
