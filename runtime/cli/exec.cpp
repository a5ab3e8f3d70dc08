#include <memory>

#include "runtime/cli/verbs.hpp"

namespace hull::cli {

namespace {

// What the new process is: its process.json or the pieces of one.
void add_process_flags(CLI::App* cmd, runtime::ExecOptions& o) {
    cmd->add_option("-p,--process", o.process_file, "process.json (runtime-spec process)");
    cmd->add_flag("-t,--tty", o.tty, "allocate a pseudo-TTY");
    cmd->add_option("--cwd", o.cwd, "working directory in the container");
    cmd->add_option("-e,--env", o.env, "set an environment variable KEY=VALUE (repeat for more)")
        ->allow_extra_args(false);
    cmd->add_option("-u,--user", o.user, "uid[:gid]");
    cmd->add_option("-g,--additional-gids", o.additional_gids,
                    "an additional group id for the process (repeat for more)")
        ->allow_extra_args(false);
    cmd->add_option("-c,--cap", o.caps, "add a capability to the process's sets (repeat for more)")
        ->allow_extra_args(false);
    cmd->add_flag("--no-new-privs", o.no_new_privs, "set no_new_privs");
}

// How hull starts it: detached, its terminal, fds, LSM labels and cgroups.
void add_launch_flags(CLI::App* cmd, runtime::ExecOptions& o) {
    cmd->add_flag("-d,--detach", o.detach, "detach from the process");
    cmd->add_option("--pid-file", o.pid_file, "file to write the process pid to");
    cmd->add_option("--console-socket", o.console_socket,
                    "unix socket that receives the pty master");
    cmd->add_option("--preserve-fds", o.preserve_fds, "pass N additional fds");
    cmd->add_option("--apparmor", o.apparmor, "AppArmor profile");
    cmd->add_option("--process-label", o.process_label, "SELinux label");
    cmd->add_flag("--ignore-paused", o.ignore_paused,
                  "exec into a paused container too: the process starts when it is resumed");
    cmd->add_option("--cgroup", o.cgroups,
                    "run in an existing sub-cgroup of the container's: PATH, or "
                    "CONTROLLER[,CONTROLLER...]:PATH on cgroup v1 (repeat for more)")
        ->allow_extra_args(false);
}

}  // namespace

void add_exec(CLI::App& app, Chosen& chosen) {
    auto* cmd = app.add_subcommand("exec", "run a new process inside a running container");
    auto o = std::make_shared<runtime::ExecOptions>();
    add_process_flags(cmd, *o);
    add_launch_flags(cmd, *o);
    cmd->add_option("id", o->id, "container id")->required();
    cmd->prefix_command();
    cmd->callback([&chosen, o, cmd] {
        chosen.enters_container = true;
        chosen.failure_status = 255;
        o->args = cmd->remaining();
        if (!o->args.empty() && o->args.front() == "--") o->args.erase(o->args.begin());
        chosen.action = [o](runtime::Context& ctx) { return runtime::cmd_exec(ctx, *o); };
    });
}

}  // namespace hull::cli
