#include "runtime/cli/command_line.hpp"

#include <algorithm>
#include <iterator>

namespace hull::cli {

namespace {

struct Command {
    std::string_view name;
    void (*add)(CLI::App&, Chosen&);
};

// In the order --help lists them. update is added apart: its options are kept for the tests.
constexpr Command kCommands[] = {
    {"create", add_create},     {"run", add_run},
    {"start", add_start},       {"state", add_state},
    {"kill", add_kill},         {"delete", add_delete},
    {"list", add_list},         {"exec", add_exec},
    {"spec", add_spec},         {"bundle", add_bundle},
    {"features", add_features}, {"pause", add_pause},
    {"resume", add_resume},     {"ps", add_ps},
    {"events", add_events},     {"update", nullptr},
    {"console", add_console},   {"checkpoint", add_checkpoint},
    {"restore", add_restore},
};

}  // namespace

CommandLine::CommandLine() : app_{"hull: an OCI container runtime", "hull"} {
    add_global_flags();
    add_commands({});
}

CommandLine::CommandLine(int argc, const char* const* argv)
    : app_{"hull: an OCI container runtime", "hull"} {
    add_global_flags();
    add_commands(command_name(argc, argv));
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

void CommandLine::add_commands(std::string_view name) {
    const bool known = std::any_of(std::begin(kCommands), std::end(kCommands),
                                   [&](const Command& c) { return c.name == name; });
    for (const Command& command : kCommands) {
        if (known && command.name != name) continue;
        if (command.add)
            command.add(app_, chosen_);
        else
            update_ = &add_update(app_, chosen_);
    }
}

std::string_view CommandLine::command_name(int argc, const char* const* argv) const {
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (arg.empty() || arg[0] != '-') return arg;
        if (arg == "--") return {};
        // "--root DIR" takes the next argument; "--root=DIR" and flags do not.
        if (arg.find('=') != std::string_view::npos) continue;
        for (const CLI::Option* option : app_.get_options()) {
            if (option->get_items_expected_max() > 0 && option->check_name(std::string(arg))) {
                ++i;
                break;
            }
        }
    }
    return {};
}

}  // namespace hull::cli
