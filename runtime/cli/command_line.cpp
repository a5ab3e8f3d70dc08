#include "runtime/cli/command_line.hpp"

#include <unistd.h>

#include <iostream>

#include "base/duration.hpp"
#include "base/error.hpp"
#include "base/file.hpp"
#include "runtime/cgroup_commands.hpp"
#include "runtime/system/console_client.hpp"
#include "spec/default_spec.hpp"
#include "spec/features.hpp"

namespace hull::cli {

namespace {

using runtime::Context;

void add_create_flags(CLI::App* cmd, runtime::CreateOptions& o) {
    cmd->add_option("-b,--bundle", o.bundle,
                    "path to the root of the bundle directory (default: the current directory)");
    cmd->add_option(
        "--console-socket", o.console_socket,
        "path of a unix socket that receives the pty master of the container's terminal");
    cmd->add_option("--pid-file", o.pid_file, "write the container's init pid to this file");
    cmd->add_flag("--no-pivot", o.no_pivot,
                  "use chroot instead of pivot_root (for a rootfs on a ramdisk)");
    cmd->add_flag("--no-new-keyring", o.no_new_keyring,
                  "keep the caller's session keyring instead of creating one");
    cmd->add_option("--preserve-fds", o.preserve_fds,
                    "pass N additional file descriptors (3 .. 3+N-1) to the container");
    cmd->add_flag("--system-container", o.system.system_container,
                  "boot the rootfs's init as a system container (README \"System containers\")");
    cmd->add_option_function<std::string>(
        "--console-buffer",
        [&o](const std::string& v) {
            o.system.console_buffer = runtime::system::parse_buffer_size(v, "--console-buffer");
        },
        "system container: console ring buffer size (default 128K)");
    cmd->add_option_function<int>(
        "--reboot-limit", [&o](int v) { o.system.reboot_limit = v; },
        "system container: reboots to follow before staying stopped (-1: no limit; default 100)");
    cmd->add_option("id", o.id, "container id")->required();
}

std::string write_spec(const std::string& bundle) {
    std::string path = bundle + "/config.json";
    if (::access(path.c_str(), F_OK) == 0) throw Error("File " + path + " exists. Remove it first");
    write_file(path, spec::default_config_json(), 0644);
    return path;
}

int not_implemented(const std::string& what) {
    throw Error(what + ": not implemented yet");
}

}  // namespace

CommandLine::CommandLine() : app_{"hull: an OCI container runtime", "hull"} {
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

    auto* create_cmd = app_.add_subcommand("create", "create a container");
    add_create_flags(create_cmd, create_);
    create_cmd->callback([this] {
        enters_container_ = true;
        action_ = [this](Context& ctx) {
            runtime::cmd_create(ctx, create_);
            return 0;
        };
    });

    auto* run_cmd = app_.add_subcommand("run", "create and run a container");
    add_create_flags(run_cmd, run_opts_);
    run_cmd->add_flag("-d,--detach", run_flags_.detach, "detach from the container's process");
    run_cmd->add_flag("--keep", run_flags_.keep,
                      "do not delete the container after it exits (hull delete does)");
    run_cmd->add_flag("--no-subreaper", run_flags_.no_subreaper,
                      "do not adopt the container's orphaned processes (init must be hull's "
                      "own child: no pid or time namespace joined by path)");
    run_cmd->callback([this] {
        enters_container_ = true;
        action_ = [this](Context& ctx) { return runtime::cmd_run(ctx, run_opts_, run_flags_); };
    });

    auto* start_cmd =
        app_.add_subcommand("start", "run the user-defined process of a created container");
    start_cmd->add_option("id", id_, "container id")->required();
    start_cmd->callback([this] {
        action_ = [this](Context& ctx) {
            runtime::cmd_start(ctx, id_);
            return 0;
        };
    });

    auto* state_cmd = app_.add_subcommand("state", "output the state of a container");
    state_cmd->add_option("id", id_, "container id")->required();
    state_cmd->callback([this] {
        action_ = [this](Context& ctx) {
            runtime::cmd_state(ctx, id_);
            return 0;
        };
    });

    auto* kill_cmd = app_.add_subcommand(
        "kill", "send a signal (default: SIGTERM) to a container's init process");
    kill_cmd->add_flag("-a,--all", kill_all_, "send the signal to every process in the container");
    kill_cmd->add_option("id", id_, "container id")->required();
    kill_cmd->add_option(
        "signal", signal_,
        "signal name or number (default SIGTERM; a system container: its init's halt signal)");
    kill_cmd->callback([this] {
        action_ = [this](Context& ctx) {
            runtime::cmd_kill(ctx, id_, signal_, kill_all_);
            return 0;
        };
    });

    auto* delete_cmd = app_.add_subcommand("delete", "delete the resources held by a container");
    delete_cmd->add_flag("-f,--force", force_, "kill the container first if it is running");
    delete_cmd
        ->add_option("-t,--timeout", delete_timeout_,
                     "seconds a system container gets to halt before SIGKILL (default 10)")
        ->check(CLI::NonNegativeNumber);
    delete_cmd->add_option("id", id_, "container id")->required();
    delete_cmd->callback([this] {
        action_ = [this](Context& ctx) {
            runtime::cmd_delete(ctx, id_, force_, delete_timeout_);
            return 0;
        };
    });

    auto* list_cmd = app_.add_subcommand("list", "list the containers under the --root");
    list_cmd->alias("ls");
    list_cmd->add_option("-f,--format", format_, "table or json")
        ->check(CLI::IsMember({"table", "json"}));
    list_cmd->add_flag("-q,--quiet", quiet_, "print only container ids");
    list_cmd->callback([this] {
        action_ = [this](Context& ctx) {
            runtime::cmd_list(ctx, format_, quiet_);
            return 0;
        };
    });

    auto* exec_cmd = app_.add_subcommand("exec", "run a new process inside a running container");
    exec_cmd->add_option("-p,--process", exec_.process_file, "process.json (runtime-spec process)");
    exec_cmd->add_flag("-t,--tty", exec_.tty, "allocate a pseudo-TTY");
    exec_cmd->add_option("--cwd", exec_.cwd, "working directory in the container");
    exec_cmd
        ->add_option("-e,--env", exec_.env,
                     "set an environment variable KEY=VALUE (repeat for more)")
        ->allow_extra_args(false);
    exec_cmd->add_option("-u,--user", exec_.user, "uid[:gid]");
    exec_cmd
        ->add_option("-g,--additional-gids", exec_.additional_gids,
                     "an additional group id for the process (repeat for more)")
        ->allow_extra_args(false);
    exec_cmd
        ->add_option("-c,--cap", exec_.caps,
                     "add a capability to the process's sets (repeat for more)")
        ->allow_extra_args(false);
    exec_cmd->add_flag("--no-new-privs", exec_.no_new_privs, "set no_new_privs");
    exec_cmd->add_flag("-d,--detach", exec_.detach, "detach from the process");
    exec_cmd->add_option("--pid-file", exec_.pid_file, "file to write the process pid to");
    exec_cmd->add_option("--console-socket", exec_.console_socket,
                         "unix socket that receives the pty master");
    exec_cmd->add_option("--preserve-fds", exec_.preserve_fds, "pass N additional fds");
    exec_cmd->add_option("--apparmor", exec_.apparmor, "AppArmor profile");
    exec_cmd->add_option("--process-label", exec_.process_label, "SELinux label");
    exec_cmd->add_flag("--ignore-paused", exec_.ignore_paused,
                       "exec into a paused container too: the process starts when it is resumed");
    exec_cmd
        ->add_option("--cgroup", exec_.cgroups,
                     "run in an existing sub-cgroup of the container's: PATH, or "
                     "CONTROLLER[,CONTROLLER...]:PATH on cgroup v1 (repeat for more)")
        ->allow_extra_args(false);
    exec_cmd->add_option("id", exec_.id, "container id")->required();
    exec_cmd->prefix_command();
    exec_cmd->callback([this, exec_cmd] {
        enters_container_ = true;
        failure_status_ = 255;
        exec_.args = exec_cmd->remaining();
        if (!exec_.args.empty() && exec_.args.front() == "--") exec_.args.erase(exec_.args.begin());
        action_ = [this](Context& ctx) { return runtime::cmd_exec(ctx, exec_); };
    });

    auto* spec_cmd = app_.add_subcommand("spec", "create a new specification file (config.json)");
    spec_cmd->add_option("-b,--bundle", spec_bundle_, "bundle directory to write it in");
    spec_cmd->add_flag("--rootless", rootless_spec_, "a config for rootless containers");
    spec_cmd->callback([this] {
        action_ = [this](Context&) {
            if (rootless_spec_) not_implemented("spec --rootless");
            write_spec(spec_bundle_);
            return 0;
        };
    });

    auto* bundle_cmd = app_.add_subcommand("bundle", "make bundles");
    bundle_cmd->require_subcommand(1);
    auto* bundle_new = bundle_cmd->add_subcommand("new", "make a ready-to-run bundle in DIR");
    bundle_new->add_option("dir", bundle_dir_, "bundle directory to create")->required();
    bundle_new
        ->add_option("-t,--template", template_options_.template_name,
                     "app (default): busybox, prints a greeting and exits; "
                     "busybox: a busybox-init system; "
                     "debian: Debian bookworm booting systemd (debootstrap, cached); "
                     "busybox and debian are for --system-container")
        ->check(CLI::IsMember(bundle::template_names()));
    bundle_new->add_option("--cache-dir", template_options_.cache_dir,
                           "debian: where debootstrapped root filesystems are kept, one per "
                           "package list (default /var/cache/hull/rootfs)");
    bundle_new->add_option("--mirror", template_options_.mirror,
                           "debian: the Debian archive URL (default: the host's apt sources, "
                           "else http://deb.debian.org/debian)");
    bundle_new->callback([this] {
        action_ = [this](Context&) {
            bundle::make_bundle(bundle_dir_, template_options_);
            std::cout << "bundle ready: " << bundle_dir_ << "\n";
            return 0;
        };
    });

    auto* features_cmd =
        app_.add_subcommand("features", "show the enabled features (runtime-spec features.json)");
    features_cmd->callback([this] {
        action_ = [](Context&) {
            std::cout << spec::features_json() << '\n';
            return 0;
        };
    });

    auto* pause_cmd = app_.add_subcommand("pause", "suspend all processes inside a container");
    pause_cmd->add_option("id", id_, "container id")->required();
    pause_cmd->callback([this] {
        action_ = [this](Context& ctx) {
            runtime::cmd_pause(ctx, id_);
            return 0;
        };
    });
    auto* resume_cmd = app_.add_subcommand("resume", "resume all processes of a paused container");
    resume_cmd->add_option("id", id_, "container id")->required();
    resume_cmd->callback([this] {
        action_ = [this](Context& ctx) {
            runtime::cmd_resume(ctx, id_);
            return 0;
        };
    });

    auto* ps_cmd = app_.add_subcommand("ps", "display the processes running inside a container");
    ps_cmd->add_option("-f,--format", ps_format_, "table or json")
        ->check(CLI::IsMember({"table", "json"}));
    ps_cmd->add_option("id", id_, "container id")->required();
    ps_cmd->prefix_command();
    ps_cmd->callback([this, ps_cmd] {
        action_ = [this, ps_cmd](Context& ctx) {
            auto args = ps_cmd->remaining();
            if (!args.empty() && args.front() == "--") args.erase(args.begin());
            runtime::cmd_ps(ctx, id_, ps_format_, args);
            return 0;
        };
    });

    auto* events_cmd = app_.add_subcommand(
        "events", "display a container's events: OOM notifications and resource usage statistics");
    events_cmd->add_flag("--stats", stats_once_, "print the stats once and exit");
    events_cmd->add_option("--interval", interval_,
                           "time between stats, as a Go duration: 5s, 500ms, 1m30s (default 5s)");
    events_cmd->add_option("id", id_, "container id")->required();
    events_cmd->callback([this] {
        action_ = [this](Context& ctx) {
            auto interval = parse_duration(interval_, "--interval");
            if (interval.count() <= 0) throw Error("--interval: must be above zero");
            runtime::cmd_events(ctx, id_, stats_once_, interval);
            return 0;
        };
    });

    auto* update_cmd = app_.add_subcommand("update", "update a container's resource limits");
    update_cmd->add_option("-r,--resources", update_.resources_file,
                           "linux.resources JSON file, or - for stdin");
    update_cmd->add_option("--memory", update_.memory, "memory limit (e.g. 512m, -1 for none)");
    update_cmd->add_option("--memory-reservation", update_.memory_reservation, "memory soft limit");
    update_cmd->add_option("--memory-swap", update_.memory_swap, "memory plus swap limit");
    update_cmd->add_option("--kernel-memory", update_.kernel_memory, "kernel memory limit");
    update_cmd->add_option("--kernel-memory-tcp", update_.kernel_memory_tcp,
                           "kernel TCP buffer limit");
    update_cmd->add_option("--cpu-share", update_.cpu_shares, "CPU shares");
    update_cmd->add_option("--cpu-period", update_.cpu_period, "CFS period (µs)");
    update_cmd->add_option("--cpu-quota", update_.cpu_quota, "CFS quota (µs)");
    update_cmd->add_option("--cpu-rt-period", update_.cpu_rt_period, "real-time period (µs)");
    update_cmd->add_option("--cpu-rt-runtime", update_.cpu_rt_runtime, "real-time runtime (µs)");
    update_cmd->add_option("--cpuset-cpus", update_.cpuset_cpus, "CPUs allowed (e.g. 0-1)");
    update_cmd->add_option("--cpuset-mems", update_.cpuset_mems, "memory nodes allowed");
    update_cmd->add_option("--pids-limit", update_.pids_limit, "maximum number of pids");
    update_cmd->add_option("--blkio-weight", update_.blkio_weight, "block IO weight (10-1000)");
    update_cmd->add_option("id", update_.id, "container id")->required();
    update_cmd->callback([this] {
        action_ = [this](Context& ctx) {
            runtime::cmd_update(ctx, update_);
            return 0;
        };
    });

    auto* console_cmd = app_.add_subcommand(
        "console", "attach to a system container's console (detach with Ctrl-])");
    console_cmd->add_option("--detach-keys", console_detach_keys_,
                            "detach sequence instead of Ctrl-]: ctrl-<x> keys, comma-separated "
                            "(e.g. ctrl-p,ctrl-q)");
    console_cmd->add_option("id", console_id_, "container id")->required();
    console_cmd->callback([this] {
        action_ = [this](Context& ctx) {
            return runtime::system::cmd_console(ctx, console_id_, console_detach_keys_);
        };
    });

    for (const char* name : {"checkpoint", "restore"}) {
        auto* cmd = app_.add_subcommand(name, std::string(name) + " (not supported)");
        cmd->allow_extras();
        cmd->callback(
            [this, name] { action_ = [name](Context&) { return not_implemented(name); }; });
    }
}

}  // namespace hull::cli
