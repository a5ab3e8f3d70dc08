// hull's command line, defined once: every command, flag and help text. `hull` parses argv with
// it and runs the chosen command; hull-docgen walks the same definition to write the man pages
// and shell completions, so neither can drift from --help.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <string_view>

#include "runtime/cli/verbs.hpp"

namespace hull::cli {

class CommandLine {
  public:
    // Every command: for --help, hull-docgen and the tests.
    CommandLine();
    // Only the command that args (main's argc/argv) names, when it names one; else every
    // command, so that help and errors read as they always do. Building one command's options
    // instead of all of them is a fifth of the instructions hull runs before it reads a config.
    CommandLine(int argc, const char* const* argv);
    // The callbacks registered with the App point into this object.
    CommandLine(const CommandLine&) = delete;
    CommandLine& operator=(const CommandLine&) = delete;

    CLI::App& app() { return app_; }

    // Valid after app().parse() succeeded.
    const Action& action() const { return chosen_.action; }
    bool show_version() const { return show_version_; }
    // 1, or 255 for exec (see Chosen).
    int failure_status() const { return chosen_.failure_status; }
    bool enters_container() const { return chosen_.enters_container; }
    const system_container::SystemFlags& system_flags() const { return chosen_.system_flags; }
    // The options `update` parsed, for tests of what its flags become.
    const runtime::UpdateOptions& update_options() const { return *update_; }
    runtime::GlobalOptions global_options() const {
        runtime::GlobalOptions g = global_;
        g.log_format = log_format_ == "json" ? LogFormat::json : LogFormat::text;
        return g;
    }

  private:
    CLI::App app_;
    runtime::GlobalOptions global_;
    std::string log_format_ = "text";
    bool show_version_ = false;
    std::string ignored_;
    Chosen chosen_;
    const runtime::UpdateOptions* update_ = nullptr;

    void add_global_flags();
    // Adds the command called name, or every command when name is empty or unknown.
    void add_commands(std::string_view name);
    // The first argument that is neither a global flag nor a global option's value.
    std::string_view command_name(int argc, const char* const* argv) const;
};

}  // namespace hull::cli
