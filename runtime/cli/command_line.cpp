#include "runtime/cli/command_line.hpp"

namespace hull::cli {

CommandLine::CommandLine() : app_{"hull: an OCI container runtime", "hull"} {
    add_global_flags();
    add_commands();
}

void CommandLine::add_global_flags() {
    app_.set_help_all_flag("--help-all", "show help for every command");
    app_.require_subcommand(0, 1);
    app_.add_flag("-v,--version", show_version_, "print hull's version");
    app_.add_option("--root", global_.root,
                    "root directory for the containers' state (keep it on a tmpfs)")
        ->capture_default_str();
    app_.add_option("--log", global_.log_path, "write hull's log to this file (default: stderr)");
    app_.add_option("--log-format", log_format_, "log format: text or json")
        ->check(CLI::IsMember({"text", "json"}));
    app_.add_flag("--debug", global_.debug, "enable debug logging");
    app_.add_flag("--systemd-cgroup", global_.systemd_cgroup,
                  "manage cgroups through systemd (needs systemd as PID 1)");
    // Accepted because clients pass them to every runtime; --help says that they do nothing.
    app_.add_option("--criu", ignored_,
                    "accepted for runc compatibility and ignored: hull has no checkpoint/restore");
    app_.add_option("--rootless", ignored_,
                    "accepted for runc compatibility (true|false|auto) and ignored");
}

// In the order --help lists them.
void CommandLine::add_commands() {
    add_create(app_, chosen_);
    add_run(app_, chosen_);
    add_start(app_, chosen_);
    add_state(app_, chosen_);
    add_kill(app_, chosen_);
    add_delete(app_, chosen_);
    add_list(app_, chosen_);
    add_exec(app_, chosen_);
    add_spec(app_, chosen_);
    add_bundle(app_, chosen_);
    add_features(app_, chosen_);
    add_pause(app_, chosen_);
    add_resume(app_, chosen_);
    add_ps(app_, chosen_);
    add_events(app_, chosen_);
    update_ = &add_update(app_, chosen_);
    add_console(app_, chosen_);
    add_checkpoint(app_, chosen_);
    add_restore(app_, chosen_);
}

}  // namespace hull::cli
