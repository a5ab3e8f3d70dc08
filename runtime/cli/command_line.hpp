// hull's command line, defined once: every command, flag and help text. `hull` parses argv with
// it and runs the chosen command; hull-docgen walks the same definition to write the man pages
// and shell completions, so neither can drift from --help.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

#include "bundle/template.hpp"
#include "runtime/cgroup_commands.hpp"
#include "runtime/context.hpp"
#include "runtime/lifecycle.hpp"

namespace hull::cli {

// What a parsed command does; it runs once the Logger exists.
using Action = std::function<int(runtime::Context&)>;

class CommandLine {
  public:
    CommandLine();
    // The callbacks registered with the App point into this object.
    CommandLine(const CommandLine&) = delete;
    CommandLine& operator=(const CommandLine&) = delete;

    CLI::App& app() { return app_; }

    // Valid after app().parse() succeeded.
    const Action& action() const { return action_; }
    bool show_version() const { return show_version_; }
    // The exit status when hull itself fails: 1, but 255 for exec as in runc, so that a caller
    // can tell hull's failure from the exec'd process's own exit status 1.
    int failure_status() const { return failure_status_; }
    // Set by the commands that put a hull process inside a container (see self_exe.hpp).
    bool enters_container() const { return enters_container_; }
    // The options `update` parsed, for tests of what its flags become.
    const runtime::UpdateOptions& update_options() const { return update_; }
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
    Action action_;
    bool enters_container_ = false;
    int failure_status_ = 1;
    std::string ignored_;

    runtime::CreateOptions create_;
    runtime::CreateOptions run_opts_;
    runtime::RunFlags run_flags_;
    std::string id_;
    std::string signal_;
    bool kill_all_ = false;
    bool force_ = false;
    int delete_timeout_ = 10;
    std::string format_ = "table";
    bool quiet_ = false;
    runtime::ExecOptions exec_;
    std::string spec_bundle_ = ".";
    bool rootless_spec_ = false;
    std::string bundle_dir_;
    bundle::TemplateOptions template_options_;
    std::string ps_format_ = "table";
    bool stats_once_ = false;
    std::string interval_ = "5s";
    runtime::UpdateOptions update_;
    std::string console_id_;
    std::string console_detach_keys_;
};

}  // namespace hull::cli
