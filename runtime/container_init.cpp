#include "runtime/container_init.hpp"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include "base/error.hpp"
#include "base/file.hpp"
#include "base/procfs.hpp"
#include "base/syscalls.hpp"
#include "bundle/rootfs.hpp"
#include "hooks/run_hooks.hpp"
#include "runtime/console.hpp"
#include "runtime/idle_memory.hpp"
#include "runtime/loopback.hpp"
#include "runtime/process_launch.hpp"
#include "runtime/security/lsm.hpp"
#include "runtime/security/seccomp.hpp"
#include "runtime/security/seccomp_listener.hpp"
#include "runtime/spawn.hpp"
#include "runtime/state_json.hpp"

namespace hull::runtime {

namespace {

void join_session_keyring(const std::string& id) {
    // A fresh session keyring keeps the container from reading the host's keys.
    std::string name = "_ses." + id;
    if (sys::keyctl_join_session_keyring(name.c_str()) < 0 && errno != ENOSYS)
        throw_errno("join session keyring");
}

void set_hostnames(const spec::Config& config) {
    if (!config.hostname.empty() &&
        ::sethostname(config.hostname.data(), config.hostname.size()) < 0)
        throw_errno("sethostname (/hostname)");
    if (!config.domainname.empty() &&
        ::setdomainname(config.domainname.data(), config.domainname.size()) < 0)
        throw_errno("setdomainname (/domainname)");
}

// Written through the host's procfs, opened before the container's mounts existed: the
// container's /proc is the container's to shape (an image can mount over it or over any file
// in it, CVE-2019-16884 and CVE-2025-52881), while a sysctl applies to the namespaces of the
// writer, which by now are the container's, whatever procfs instance the file came from.
void apply_sysctls(const spec::Config& config, int host_proc) {
    if (!config.linux) return;
    for (const auto& [key, value] : config.linux->sysctl) {
        std::string path = "sys/" + key;
        for (size_t i = 4; i < path.size(); ++i)
            if (path[i] == '.') path[i] = '/';
        try {
            write_procfs(host_proc, path, value);
        } catch (const Error& e) {
            throw e.with_context("/linux/sysctl/" + key);
        }
    }
}

// Namespaces that clone3 could not create directly: join, unshare, maybe fork once more.
// Returns in the process that is to become init.
void enter_namespaces_slowly(const InitRequest& req, SyncChannel& channel) {
    const NamespacePlan& plan = req.plan;
    join_namespaces(plan.joins);
    if (plan.unshare_user) {
        if (::unshare(CLONE_NEWUSER) < 0) throw_errno("unshare user namespace");
        channel.send(SyncType::need_id_maps);
        channel.expect(SyncType::id_maps_done);
    }
    if (plan.unshare_flags && ::unshare(plan.unshare_flags) < 0) throw_errno("unshare namespaces");
    const spec::Config& config = *req.spawn.config;
    if (config.linux && !config.linux->time_offsets.empty() && config.find_namespace("time") &&
        config.find_namespace("time")->path.empty())
        write_time_offsets(config.linux->time_offsets);
    if (!plan.second_fork) return;
    pid_t child = ::fork();
    if (child < 0) throw_errno("fork container init");
    if (child > 0) {
        // The intermediate process: report the real init and leave.
        channel.send(SyncType::init_pid, std::to_string(child));
        ::_exit(0);
    }
}

[[noreturn]] void init_main(const InitRequest& req, SyncChannel& channel) {
    const spec::Config& config = *req.spawn.config;
    const spec::Process& process = *req.spawn.process;
    const Logger& log = *req.spawn.launch.log;

    // Into the cgroup before anything else runs (and while still the host's uid 0, which the
    // v1 tasks files require); the cgroup2 part came with clone3.
    if (req.spawn.cgroup) req.spawn.cgroup->join_self();
    if (!req.plan.direct)
        enter_namespaces_slowly(req, channel);
    else
        join_namespaces(req.plan.joins);

    // The parent writes id maps, then sends our pid as the host sees it.
    const pid_t host_pid = std::stoi(channel.expect(SyncType::go).payload);
    // runtime.md State: for hooks in the container namespace, pid "as seen by the container".
    const pid_t container_pid = ::getpid();
    if (req.plan.late_cgroup && ::unshare(CLONE_NEWCGROUP) < 0)
        throw_errno("unshare cgroup namespace");
    if (req.plan.new_user) become_namespace_root(config.linux->uid_mappings);
    set_hostnames(config);
    // Only a network namespace made for this container: one joined by path is its owner's.
    const spec::Namespace* net = config.find_namespace("network");
    if (net && net->path.empty()) bring_up_loopback();
    if (!req.no_new_keyring) join_session_keyring(req.state.id);

    // Handles into the host that must survive pivot_root; all are closed by execve.
    unique_fd host_proc = open_procfs("/proc");
    unique_fd state_dir(req.state_dir_fd);

    bundle::prepare_rootfs(config, req.rootfs);

    const spec::Hooks empty_hooks;
    const spec::Hooks& hooks = config.hooks ? *config.hooks : empty_hooks;
    // Also sent for createContainer alone: from here on a failed create runs the poststop
    // hooks (runtime.md Lifecycle steps 3-5 continue at step 12), and the parent arms that
    // only once the first create hook is about to run.
    if (!hooks.prestart.empty() || !hooks.create_runtime.empty() ||
        !hooks.create_container.empty()) {
        channel.send(SyncType::run_hooks);
        channel.expect(SyncType::hooks_done);
    }
    hooks::run_phase(hooks::Phase::create_container, hooks,
                     hook_state_json(req.state, Status::creating, container_pid), log);

    unique_fd listener;
    if (config.linux && config.linux->seccomp && !config.linux->seccomp->listener_path.empty())
        listener = security::connect_unix(config.linux->seccomp->listener_path);

    bundle::enter_rootfs(config, req.rootfs);
    apply_sysctls(config, host_proc.get());
    if (process.terminal) {
        Pty pty = open_container_pty(process.console_size, true, !req.console_held_by_supervisor);
        channel.send(SyncType::console, pty.slave_name, pty.master.get());
    }
    bundle::finalize_rootfs(config, req.rootfs);

    channel.send(SyncType::created);
    // The parent acknowledges once state.json is written; if it dies first we see EOF here
    // and exit, so an aborted create never leaves a process behind.
    channel.expect(SyncType::go);
    channel.close();

    // Nothing runs until `start`, which may be much later: give back the code pages, then
    // block until `hull start` opens the fifo for reading. When start comes at once, they
    // would only fault back in (about 20 faults and 0.1 ms of CPU per run here).
    if (!req.start_follows) release_code_pages(find_code_ranges(host_proc.get()));
    unique_fd start_signal(
        ::openat(state_dir.get(), "exec.fifo", O_WRONLY | O_CLOEXEC | O_NOFOLLOW));
    if (!start_signal) throw_errno("open exec.fifo");
    state_dir.reset();
    write_all(start_signal.get(), "0", "exec.fifo");
    try {
        LaunchOptions launch = req.spawn.launch;
        launch.before_exec = [&] {
            hooks::run_phase(hooks::Phase::start_container, hooks,
                             hook_state_json(req.state, Status::created, container_pid), log);
        };
        launch.procfs = host_proc.get();
        launch.seccomp_listener = listener.get();
        if (listener)
            launch.seccomp_listener_state = security::seccomp_process_state_json(
                host_pid, config.linux->seccomp->listener_metadata,
                hook_state_json(req.state, Status::running, host_pid));
        launch_user_process(process, config, launch);
    } catch (const std::exception& e) {
        // `hull start` reads past the first byte until EOF: anything there is our error.
        std::string msg = e.what();
        ssize_t ignored = ::write(start_signal.get(), msg.data(), msg.size());
        (void)ignored;
        ::_exit(1);
    }
}

}  // namespace

void run_container_init(const InitRequest& request, SyncChannel& channel) {
    // exec keeps the signal mask, and a system container's supervisor blocks the signals it
    // reads through a signalfd: init starts with none blocked.
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    close_parent_fds(request.spawn);
    try {
        init_main(request, channel);
    } catch (const ChannelClosed&) {
        // create gave up (and reports why); nothing to add.
    } catch (const std::exception& e) {
        try {
            channel.send(SyncType::error, e.what());
        } catch (...) {
            // Nobody is listening any more (create has returned): the log is all we have.
            request.spawn.launch.log->error(std::string("container init: ") + e.what());
        }
    }
    ::_exit(1);
}

}  // namespace hull::runtime
