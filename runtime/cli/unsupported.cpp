// checkpoint and restore: listed so that a client's call fails with a clear message; hull has
// no checkpoint/restore (no CRIU). And not_implemented, which spec --rootless uses too.
#include "base/error.hpp"
#include "runtime/cli/verbs.hpp"

namespace hull::cli {

namespace {

void add_unsupported(CLI::App& app, Chosen& chosen, const char* name) {
    auto* cmd = app.add_subcommand(name, std::string(name) + " (not supported)");
    cmd->allow_extras();
    cmd->callback([&chosen, name] {
        chosen.action = [name](runtime::Context&) { return not_implemented(name); };
    });
}

}  // namespace

int not_implemented(const std::string& what) {
    throw Error(what + ": not implemented yet");
}

void add_checkpoint(CLI::App& app, Chosen& chosen) {
    add_unsupported(app, chosen, "checkpoint");
}

void add_restore(CLI::App& app, Chosen& chosen) {
    add_unsupported(app, chosen, "restore");
}

}  // namespace hull::cli
