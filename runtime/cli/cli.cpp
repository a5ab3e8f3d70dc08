#include "runtime/cli/cli.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "base/error.hpp"
#include "base/file.hpp"
#include "base/log.hpp"
#include "bundle/template.hpp"
#include "runtime/cgroup_commands.hpp"
#include "runtime/cli/version.hpp"
#include "runtime/lifecycle.hpp"
#include "runtime/security/self_exe.hpp"
#include "runtime/system/console_client.hpp"
#include "spec/default_spec.hpp"
#include "spec/features.hpp"

namespace hull::cli {

namespace {

using runtime::Context;
using runtime::GlobalOptions;

// Every parsed command becomes one of these; it runs once the Logger exists.
using Action = std::function<int(Context&)>;

void add_create_flags(CLI::App* cmd, runtime::CreateOptions& o) {
    cmd->add_option("-b,--bundle", o.bundle, "path to the root of the bundle directory");
    cmd->add_option("--console-socket", o.console_socket,
                    "unix socket that receives the pty master of the container");
    cmd->add_option("--pid-file", o.pid_file, "file to write the container's init pid to");
    cmd->add_flag("--no-pivot", o.no_pivot, "use chroot instead of pivot_root (no ramfs root)");
    cmd->add_flag("--no-new-keyring", o.no_new_keyring, "do not create a new session keyring");
    cmd->add_option("--preserve-fds", o.preserve_fds,
                    "pass N additional fds (3 .. 3+N-1) to the container");
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

int run(int argc, char** argv) {
    GlobalOptions global;
    std::string log_format = "text";
    bool show_version = false;
    Action action;
    // Set by the commands that put a hull process inside a container (see self_exe.hpp).
    bool enters_container = false;

    CLI::App app{"hull: an OCI container runtime", "hull"};
    app.set_help_all_flag("--help-all", "show help for every command");
    app.require_subcommand(0, 1);
    app.add_flag("-v,--version", show_version, "print hull's version");
    app.add_option("--root", global.root, "root directory for container state (tmpfs)")
        ->capture_default_str();
    app.add_option("--log", global.log_path, "log file (default: stderr)");
    app.add_option("--log-format", log_format, "log format: text or json")
        ->check(CLI::IsMember({"text", "json"}));
    app.add_flag("--debug", global.debug, "enable debug logging");
    app.add_flag("--systemd-cgroup", global.systemd_cgroup,
                 "manage cgroups through systemd (needs systemd as PID 1)");
    std::string ignored;
    app.add_option("--criu", ignored, "accepted for runc compatibility; unused");
    app.add_option("--rootless", ignored, "accepted for runc compatibility (true|false|auto)");

    runtime::CreateOptions create;
    auto* create_cmd = app.add_subcommand("create", "create a container");
    add_create_flags(create_cmd, create);
    create_cmd->callback([&] {
        enters_container = true;
        action = [&](Context& ctx) {
            runtime::cmd_create(ctx, create);
            return 0;
        };
    });

    runtime::CreateOptions run_opts;
    bool detach = false;
    auto* run_cmd = app.add_subcommand("run", "create and start a container");
    add_create_flags(run_cmd, run_opts);
    run_cmd->add_flag("-d,--detach", detach, "detach from the container's process");
    bool keep = false;
    run_cmd->add_flag("--keep", keep, "accepted for runc compatibility");
    run_cmd->callback([&] {
        enters_container = true;
        action = [&](Context& ctx) { return runtime::cmd_run(ctx, run_opts, detach); };
    });

    std::string id;
    auto* start_cmd = app.add_subcommand("start", "start a created container");
    start_cmd->add_option("id", id, "container id")->required();
    start_cmd->callback([&] {
        action = [&](Context& ctx) {
            runtime::cmd_start(ctx, id);
            return 0;
        };
    });

    auto* state_cmd = app.add_subcommand("state", "print the state of a container");
    state_cmd->add_option("id", id, "container id")->required();
    state_cmd->callback([&] {
        action = [&](Context& ctx) {
            runtime::cmd_state(ctx, id);
            return 0;
        };
    });

    std::string signal;
    bool kill_all = false;
    auto* kill_cmd = app.add_subcommand("kill", "send a signal to a container's init");
    kill_cmd->add_flag("-a,--all", kill_all, "send the signal to every process in the container");
    kill_cmd->add_option("id", id, "container id")->required();
    kill_cmd->add_option(
        "signal", signal,
        "signal name or number (default SIGTERM; a system container: its init's halt signal)");
    kill_cmd->callback([&] {
        action = [&](Context& ctx) {
            runtime::cmd_kill(ctx, id, signal, kill_all);
            return 0;
        };
    });

    bool force = false;
    int delete_timeout = 10;
    auto* delete_cmd = app.add_subcommand("delete", "delete a container's resources");
    delete_cmd->add_flag("-f,--force", force, "kill the container first if it is running");
    delete_cmd
        ->add_option("-t,--timeout", delete_timeout,
                     "seconds a system container gets to halt before SIGKILL (default 10)")
        ->check(CLI::NonNegativeNumber);
    delete_cmd->add_option("id", id, "container id")->required();
    delete_cmd->callback([&] {
        action = [&](Context& ctx) {
            runtime::cmd_delete(ctx, id, force, delete_timeout);
            return 0;
        };
    });

    std::string format = "table";
    bool quiet = false;
    auto* list_cmd = app.add_subcommand("list", "list containers");
    list_cmd->alias("ls");
    list_cmd->add_option("-f,--format", format, "table or json")
        ->check(CLI::IsMember({"table", "json"}));
    list_cmd->add_flag("-q,--quiet", quiet, "print only container ids");
    list_cmd->callback([&] {
        action = [&](Context& ctx) {
            runtime::cmd_list(ctx, format, quiet);
            return 0;
        };
    });

    runtime::ExecOptions exec;
    auto* exec_cmd = app.add_subcommand("exec", "run a process in a running container");
    exec_cmd->add_option("-p,--process", exec.process_file, "process.json (runtime-spec process)");
    exec_cmd->add_flag("-t,--tty", exec.tty, "allocate a pseudo-TTY");
    exec_cmd->add_option("--cwd", exec.cwd, "working directory in the container");
    exec_cmd->add_option("-e,--env", exec.env, "set an environment variable KEY=VALUE");
    exec_cmd->add_option("-u,--user", exec.user, "uid[:gid]");
    exec_cmd->add_option("-g,--additional-gids", exec.additional_gids, "additional gids");
    exec_cmd->add_option("-c,--cap", exec.caps, "add a capability");
    exec_cmd->add_flag("--no-new-privs", exec.no_new_privs, "set no_new_privs");
    exec_cmd->add_flag("-d,--detach", exec.detach, "detach from the process");
    exec_cmd->add_option("--pid-file", exec.pid_file, "file to write the process pid to");
    exec_cmd->add_option("--console-socket", exec.console_socket,
                         "unix socket that receives the pty master");
    exec_cmd->add_option("--preserve-fds", exec.preserve_fds, "pass N additional fds");
    exec_cmd->add_option("--apparmor", exec.apparmor, "AppArmor profile");
    exec_cmd->add_option("--process-label", exec.process_label, "SELinux label");
    exec_cmd->add_option("id", exec.id, "container id")->required();
    exec_cmd->prefix_command();
    exec_cmd->callback([&] {
        enters_container = true;
        exec.args = exec_cmd->remaining();
        if (!exec.args.empty() && exec.args.front() == "--") exec.args.erase(exec.args.begin());
        action = [&](Context& ctx) { return runtime::cmd_exec(ctx, exec); };
    });

    std::string spec_bundle = ".";
    auto* spec_cmd = app.add_subcommand("spec", "write a default config.json");
    spec_cmd->add_option("-b,--bundle", spec_bundle, "bundle directory to write it in");
    bool rootless_spec = false;
    spec_cmd->add_flag("--rootless", rootless_spec, "a config for rootless containers");
    spec_cmd->callback([&] {
        action = [&](Context&) {
            if (rootless_spec) not_implemented("spec --rootless");
            write_spec(spec_bundle);
            return 0;
        };
    });

    std::string bundle_dir;
    bundle::TemplateOptions template_options;
    auto* bundle_cmd = app.add_subcommand("bundle", "make bundles");
    bundle_cmd->require_subcommand(1);
    auto* bundle_new = bundle_cmd->add_subcommand("new", "make a ready-to-run bundle in DIR");
    bundle_new->add_option("dir", bundle_dir, "bundle directory to create")->required();
    bundle_new
        ->add_option("-t,--template", template_options.template_name,
                     "app (default): busybox, prints a greeting and exits; "
                     "busybox: a busybox-init system; "
                     "debian: Debian bookworm booting systemd (debootstrap, cached); "
                     "busybox and debian are for --system-container")
        ->check(CLI::IsMember(bundle::template_names()));
    bundle_new->add_option("--cache-dir", template_options.cache_dir,
                           "debian: where debootstrapped root filesystems are kept, one per "
                           "package list (default /var/cache/hull/rootfs)");
    bundle_new->add_option("--mirror", template_options.mirror,
                           "debian: the Debian archive URL (default: the host's apt sources, "
                           "else http://deb.debian.org/debian)");
    bundle_new->callback([&] {
        action = [&](Context&) {
            bundle::make_bundle(bundle_dir, template_options);
            std::cout << "bundle ready: " << bundle_dir << "\n";
            return 0;
        };
    });

    auto* features_cmd = app.add_subcommand("features", "print what hull supports (JSON)");
    features_cmd->callback([&] {
        action = [&](Context&) {
            std::cout << spec::features_json() << '\n';
            return 0;
        };
    });

    auto* pause_cmd = app.add_subcommand("pause", "freeze every process of a container");
    pause_cmd->add_option("id", id, "container id")->required();
    pause_cmd->callback([&] {
        action = [&](Context& ctx) {
            runtime::cmd_pause(ctx, id);
            return 0;
        };
    });
    auto* resume_cmd = app.add_subcommand("resume", "thaw a paused container");
    resume_cmd->add_option("id", id, "container id")->required();
    resume_cmd->callback([&] {
        action = [&](Context& ctx) {
            runtime::cmd_resume(ctx, id);
            return 0;
        };
    });

    std::string ps_format = "table";
    auto* ps_cmd = app.add_subcommand("ps", "list the processes of a container");
    ps_cmd->add_option("-f,--format", ps_format, "table or json")
        ->check(CLI::IsMember({"table", "json"}));
    ps_cmd->add_option("id", id, "container id")->required();
    ps_cmd->prefix_command();
    ps_cmd->callback([&] {
        action = [&, ps_cmd](Context& ctx) {
            auto args = ps_cmd->remaining();
            if (!args.empty() && args.front() == "--") args.erase(args.begin());
            runtime::cmd_ps(ctx, id, ps_format, args);
            return 0;
        };
    });

    bool stats_once = false;
    std::string interval = "5s";
    auto* events_cmd = app.add_subcommand("events", "print resource usage and OOM events as JSON");
    events_cmd->add_flag("--stats", stats_once, "print the stats once and exit");
    events_cmd->add_option("--interval", interval, "time between stats (e.g. 5s)");
    events_cmd->add_option("id", id, "container id")->required();
    events_cmd->callback([&] {
        action = [&](Context& ctx) {
            int seconds = std::atoi(interval.c_str());
            if (seconds <= 0) throw Error("invalid --interval \"" + interval + "\"");
            runtime::cmd_events(ctx, id, stats_once, seconds);
            return 0;
        };
    });

    runtime::UpdateOptions update;
    auto* update_cmd =
        app.add_subcommand("update", "change the resource limits of a running container");
    update_cmd->add_option("-r,--resources", update.resources_file,
                           "linux.resources JSON file, or - for stdin");
    update_cmd->add_option("--memory", update.memory, "memory limit (e.g. 512m, -1 for none)");
    update_cmd->add_option("--memory-reservation", update.memory_reservation, "memory soft limit");
    update_cmd->add_option("--memory-swap", update.memory_swap, "memory plus swap limit");
    update_cmd->add_option("--kernel-memory", update.kernel_memory, "kernel memory limit");
    update_cmd->add_option("--kernel-memory-tcp", update.kernel_memory_tcp,
                           "kernel TCP buffer limit");
    update_cmd->add_option("--cpu-share", update.cpu_shares, "CPU shares");
    update_cmd->add_option("--cpu-period", update.cpu_period, "CFS period (µs)");
    update_cmd->add_option("--cpu-quota", update.cpu_quota, "CFS quota (µs)");
    update_cmd->add_option("--cpu-rt-period", update.cpu_rt_period, "real-time period (µs)");
    update_cmd->add_option("--cpu-rt-runtime", update.cpu_rt_runtime, "real-time runtime (µs)");
    update_cmd->add_option("--cpuset-cpus", update.cpuset_cpus, "CPUs allowed (e.g. 0-1)");
    update_cmd->add_option("--cpuset-mems", update.cpuset_mems, "memory nodes allowed");
    update_cmd->add_option("--pids-limit", update.pids_limit, "maximum number of pids");
    update_cmd->add_option("--blkio-weight", update.blkio_weight, "block IO weight (10-1000)");
    update_cmd->add_option("id", update.id, "container id")->required();
    update_cmd->callback([&] {
        action = [&](Context& ctx) {
            runtime::cmd_update(ctx, update);
            return 0;
        };
    });

    std::string console_id;
    std::string console_detach_keys;
    auto* console_cmd = app.add_subcommand(
        "console", "attach to a system container's console (detach with Ctrl-])");
    console_cmd->add_option("--detach-keys", console_detach_keys,
                            "detach sequence instead of Ctrl-]: ctrl-<x> keys, comma-separated "
                            "(e.g. ctrl-p,ctrl-q)");
    console_cmd->add_option("id", console_id, "container id")->required();
    console_cmd->callback([&] {
        action = [&](Context& ctx) {
            return runtime::system::cmd_console(ctx, console_id, console_detach_keys);
        };
    });

    for (const char* name : {"checkpoint", "restore"}) {
        auto* cmd = app.add_subcommand(name, std::string(name) + " (not supported)");
        cmd->allow_extras();
        cmd->callback([&, name] { action = [name](Context&) { return not_implemented(name); }; });
    }

    try {
        app.parse(argc, argv);
    } catch (const CLI::Success& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return 1;
    }
    if (show_version) {
        std::cout << version_text();
        return 0;
    }
    if (!action) {
        std::cout << app.help();
        return 0;
    }
    global.log_format = log_format == "json" ? LogFormat::json : LogFormat::text;
    std::unique_ptr<Logger> log;
    try {
        log = std::make_unique<Logger>(global.log_path, global.log_format, global.debug);
    } catch (const std::exception& e) {
        std::cerr << "hull: " << e.what() << '\n';
        return 1;
    }
    Context ctx{global, *log};
    try {
        if (enters_container) security::ensure_protected_self_exe(argv);
        return action(ctx);
    } catch (const std::exception& e) {
        if (log->to_file()) log->error(e.what());
        std::cerr << "hull: " << e.what() << '\n';
        return 1;
    }
}

}  // namespace hull::cli
