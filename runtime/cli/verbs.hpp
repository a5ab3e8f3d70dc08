// hull's commands, one file each (runtime/cli/<command>.cpp): each adds its subcommand, flags
// and help text to the App, and its callback says what the command does once parsed.
// command_line.cpp adds the global flags and calls these in the order --help lists them.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

#include "runtime/cgroup_commands.hpp"
#include "runtime/context.hpp"
#include "runtime/lifecycle.hpp"
#include "runtime/system/system_config.hpp"

namespace hull::cli {

// What a parsed command does; it runs once the Logger exists.
using Action = std::function<int(runtime::Context&)>;

// Set by the callback of the command that was parsed.
struct Chosen {
    Action action;
    // The commands that put a hull process inside a container (see self_exe.hpp).
    bool enters_container = false;
    // The exit status when hull itself fails: 1, but 255 for exec as in runc, so that a caller
    // can tell hull's failure from the exec'd process's own exit status 1.
    int failure_status = 1;
    // create's and run's system-container flags, for the extension (system_containers.hpp).
    system_container::SystemFlags system_flags;
};

// Each adds one command to app; its options live as long as app.
void add_create(CLI::App& app, Chosen& chosen);
void add_run(CLI::App& app, Chosen& chosen);
void add_start(CLI::App& app, Chosen& chosen);
void add_state(CLI::App& app, Chosen& chosen);
void add_kill(CLI::App& app, Chosen& chosen);
void add_delete(CLI::App& app, Chosen& chosen);
void add_list(CLI::App& app, Chosen& chosen);
void add_exec(CLI::App& app, Chosen& chosen);
void add_spec(CLI::App& app, Chosen& chosen);
void add_bundle(CLI::App& app, Chosen& chosen);
void add_features(CLI::App& app, Chosen& chosen);
void add_pause(CLI::App& app, Chosen& chosen);
void add_resume(CLI::App& app, Chosen& chosen);
void add_ps(CLI::App& app, Chosen& chosen);
void add_events(CLI::App& app, Chosen& chosen);
// Returns the options that update parses into, for tests of what its flags become.
const runtime::UpdateOptions& add_update(CLI::App& app, Chosen& chosen);
void add_console(CLI::App& app, Chosen& chosen);
void add_checkpoint(CLI::App& app, Chosen& chosen);
void add_restore(CLI::App& app, Chosen& chosen);

// create's and run's shared flags and container id (create.cpp).
void add_create_flags(CLI::App* cmd, runtime::CreateOptions& o,
                      system_container::SystemFlags& system);

// A command whose one argument is the container id and whose action is run(ctx, id): start,
// state, pause, resume (id_command.cpp).
void add_id_command(CLI::App& app, Chosen& chosen, const std::string& name, const std::string& help,
                    void (*run)(runtime::Context&, const std::string&));

// Throws "<what>: not implemented yet" (unsupported.cpp).
int not_implemented(const std::string& what);

}  // namespace hull::cli
