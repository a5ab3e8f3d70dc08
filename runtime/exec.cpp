// `hull exec`: a new process inside a running container: its namespaces (joined through
// init's pidfd), its cgroup, and the same attributes, capabilities and seccomp as init.
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "base/error.hpp"
#include "base/file.hpp"
#include "base/procfs.hpp"
#include "base/syscalls.hpp"
#include "runtime/console.hpp"
#include "runtime/container.hpp"
#include "runtime/foreground.hpp"
#include "runtime/lifecycle.hpp"
#include "runtime/namespaces.hpp"
#include "runtime/process_launch.hpp"
#include "runtime/security/process_attrs.hpp"
#include "runtime/security/seccomp_listener.hpp"
#include "runtime/spawn.hpp"
#include "runtime/state_json.hpp"
#include "runtime/sync_channel.hpp"
#include "spec/parse.hpp"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

namespace hull::runtime {

namespace {

std::uint32_t parse_id(const std::string& text, const char* what) {
    try {
        size_t used = 0;
        unsigned long v = std::stoul(text, &used);
        if (used == text.size() && v <= 0xffffffffUL) return static_cast<std::uint32_t>(v);
    } catch (const std::exception&) {
    }
    throw Error(std::string("invalid ") + what + " \"" + text + "\"");
}

// runc's flag form: the container's process with the flags' changes.
spec::Process process_from_flags(const spec::Config& config, const ExecOptions& opt) {
    spec::Process p = config.process.value_or(spec::Process{});
    p.args = opt.args;
    p.terminal = opt.tty;
    p.console_size.reset();
    if (!opt.cwd.empty()) p.cwd = opt.cwd;
    for (const auto& e : opt.env) {
        auto key = e.substr(0, e.find('='));
        std::erase_if(p.env, [&](const std::string& x) { return x.substr(0, x.find('=')) == key; });
        p.env.push_back(e);
    }
    if (!opt.user.empty()) {
        auto colon = opt.user.find(':');
        p.user.uid = parse_id(opt.user.substr(0, colon), "user");
        p.user.gid = colon == std::string::npos ? 0 : parse_id(opt.user.substr(colon + 1), "group");
        p.user.additional_gids.clear();
    }
    for (const auto& g : opt.additional_gids)
        p.user.additional_gids.push_back(parse_id(g, "group"));
    if (!opt.caps.empty()) {
        if (!p.capabilities) p.capabilities = spec::Capabilities{};
        auto add = [&](std::optional<std::vector<std::string>>& set) {
            if (!set) set = std::vector<std::string>{};
            for (const auto& c : opt.caps)
                if (std::find(set->begin(), set->end(), c) == set->end()) set->push_back(c);
        };
        add(p.capabilities->bounding);
        add(p.capabilities->effective);
        add(p.capabilities->permitted);
        add(p.capabilities->inheritable);
        add(p.capabilities->ambient);
    }
    if (opt.no_new_privs) p.no_new_privileges = true;
    if (!opt.apparmor.empty()) p.apparmor_profile = opt.apparmor;
    if (!opt.process_label.empty()) p.selinux_label = opt.process_label;
    return p;
}

int container_namespace_flags(const spec::Config& config) {
    int flags = 0;
    if (config.linux)
        for (const auto& ns : config.linux->namespaces)
            flags |= namespace_flag(ns.type);
    return flags;
}

// exec's request to its child, built once before the clone (spawn.hpp).
struct ExecRequest {
    SpawnRequest spawn;  // launch: preserve_fds, lsms, log, the seccomp agent's connection
    int init_pidfd = -1;
    int ns_flags = 0;  // the container's namespaces, to join through init_pidfd
    pid_t init_host_pid = 0;
    // The container's state, sent with the seccomp agent's connection when there is one.
    std::string container_state_json;
};

// Our pid as the host sees it: the exec'd process lives in the container's pid namespace, but
// the procfs opened before joining the mount namespace is the host's.
pid_t host_pid(int host_proc) {
    char buf[32] = {};
    ssize_t n = ::readlinkat(host_proc, "self", buf, sizeof buf - 1);
    if (n <= 0) throw_errno("readlink /proc/self");
    return static_cast<pid_t>(std::stol(std::string(buf, static_cast<size_t>(n))));
}

[[noreturn]] void exec_child(const ExecRequest& a, SyncChannel& channel) {
    close_parent_fds(a.spawn);
    const spec::Process& process = *a.spawn.process;
    const spec::Config& config = *a.spawn.config;
    try {
        if (process.exec_cpu_affinity && !process.exec_cpu_affinity->initial.empty())
            security::apply_cpu_affinity(process.exec_cpu_affinity->initial);
        if (a.spawn.cgroup) a.spawn.cgroup->join_self();
        channel.expect(SyncType::go);
        unique_fd host_proc = open_procfs("/proc");
        int flags = a.ns_flags & ~(CLONE_NEWPID | CLONE_NEWTIME);
        if (flags && sys::setns(a.init_pidfd, flags) < 0)
            throw_errno("join the container's namespaces");
        // No mount namespace to join: the host's is the container's, and its root is the
        // directory init was chrooted into. Take init's root, never the host's.
        if (!(a.ns_flags & CLONE_NEWNS)) {
            unique_fd root(::openat(host_proc.get(),
                                    (std::to_string(a.init_host_pid) + "/root").c_str(),
                                    O_PATH | O_DIRECTORY | O_CLOEXEC));
            if (!root) throw_errno("open the container's root");
            if (::fchdir(root.get()) < 0 || ::chroot(".") < 0)
                throw_errno("enter the container's root");
        }
        if ((a.ns_flags & CLONE_NEWUSER) && config.linux)
            become_namespace_root(config.linux->uid_mappings);
        if (process.terminal) {
            Pty pty = open_container_pty(process.console_size, false);
            channel.send(SyncType::console, pty.slave_name, pty.master.get());
        }
        // execCPUAffinity is for exec'd processes only (config.md: "not applicable to the
        // container's init process"): `initial` above, before the cgroup; `final` in it.
        if (process.exec_cpu_affinity && !process.exec_cpu_affinity->final.empty())
            security::apply_cpu_affinity(process.exec_cpu_affinity->final);
        LaunchOptions launch = a.spawn.launch;
        launch.procfs = host_proc.get();
        if (launch.seccomp_listener >= 0)
            launch.seccomp_listener_state = security::seccomp_process_state_json(
                host_pid(host_proc.get()), config.linux->seccomp->listener_metadata,
                a.container_state_json);
        launch_user_process(process, config, launch);
    } catch (const std::exception& e) {
        try {
            channel.send(SyncType::error, e.what());
        } catch (...) {
        }
    }
    ::_exit(255);
}

}  // namespace

int cmd_exec(Context& ctx, const ExecOptions& opt) {
    Container container = Container::open(ctx, opt.id);
    const ContainerRecord& record = container.record();
    ContainerDir& dir = container.dir();
    cgroups::Manager* cgroup = container.cgroup();
    // Where the process goes: the container's cgroup, or the sub-cgroups --cgroup names.
    std::unique_ptr<cgroups::Manager> sub_cgroup;
    if (!opt.cgroups.empty()) {
        auto paths = cgroups::parse_sub_cgroup_args(opt.cgroups);
        if (!cgroup) throw Error("--cgroup: the container has no cgroup");
        sub_cgroup = cgroup->sub_cgroup(paths);
    }
    cgroups::Manager* placement = sub_cgroup ? sub_cgroup.get() : cgroup;
    Status status = container.status();
    if (status == Status::stopped) throw Error("cannot exec in a stopped container");
    // With --ignore-paused the new process joins the frozen cgroup, so it stops before execve
    // and this command returns once the container is resumed and the process has started.
    if (status == Status::paused && !opt.ignore_paused)
        throw Error("cannot exec in a paused container (use --ignore-paused to override)");
    spec::Config config = spec::load_validated_config(dir.file("config.json"));
    spec::Process process =
        opt.process_file.empty()
            ? process_from_flags(config, opt)
            : spec::parse_process(read_file(opt.process_file), opt.process_file);
    if (process.args.empty()) throw Error("exec: args must not be empty");
    // Refused here, naming the flag, as create names the config.json field: the process would
    // otherwise fail inside the container with the field's name, which the user never wrote.
    security::LsmState lsms = security::detect_lsms();
    security::require_lsms(opt.apparmor, "--apparmor", opt.process_label, "--process-label", lsms);
    if (process.terminal && opt.detach && opt.console_socket.empty())
        throw Error("cannot allocate tty if hull will detach without setting console socket");

    unique_fd init = container.init_pidfd();
    if (!init) throw Error("cannot exec in a stopped container");
    int ns_flags = container_namespace_flags(config);
    // pid and time namespaces apply to our children only: enter them here, fork into them.
    int for_children = ns_flags & (CLONE_NEWPID | CLONE_NEWTIME);
    if (for_children && sys::setns(init.get(), for_children) < 0)
        throw_errno("join the container's pid namespace");

    // An exec'd process gets the container's filter, so a SCMP_ACT_NOTIFY in it needs the
    // agent too: one connection per process, as for init (crun and runc do the same).
    ExecRequest request;
    unique_fd seccomp_listener;
    if (config.linux && config.linux->seccomp && !config.linux->seccomp->listener_path.empty()) {
        seccomp_listener = security::connect_unix(config.linux->seccomp->listener_path);
        request.spawn.launch.seccomp_listener = seccomp_listener.get();
        request.container_state_json = hook_state_json(record, Status::running);
    }

    auto [channel, child_channel] = SyncChannel::make_pair();
    request.spawn.config = &config;
    request.spawn.process = &process;
    request.spawn.cgroup = placement;
    request.spawn.close_in_child = {dir.fd(), channel.fd()};
    request.spawn.launch.preserve_fds = opt.preserve_fds;
    request.spawn.launch.lsms = lsms;
    request.spawn.launch.log = &ctx.log;
    request.init_pidfd = init.get();
    request.ns_flags = ns_flags;
    request.init_host_pid = record.pid;
    Spawned child =
        spawn_process(0, placement ? placement->cgroup_fd_for_clone() : -1, "exec process");
    pid_t pid = child.pid;
    if (pid == 0) exec_child(request, child_channel);
    child_channel.close();
    unique_fd pidfd = std::move(child.pidfd);
    // The child is frozen with the container from here on: `hull resume` needs the lock.
    if (status == Status::paused) dir.unlock();
    unique_fd console;
    try {
        // Back to our own pid namespace for whatever this process forks from now on: a child
        // in the container's could not see us (LeakSanitizer's tracer at exit waited forever
        // for its parent there, and `hull exec` hung), and would die with the container.
        // setns(CLONE_NEWPID) changed only pid_for_children; /proc/self/ns/pid is still ours.
        if (for_children & CLONE_NEWPID) {
            unique_fd own = open_fd("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
            if (sys::setns(own.get(), CLONE_NEWPID) < 0)
                throw_errno("return to hull's own pid namespace");
        }
        channel.send(SyncType::go);
        // The channel closes at execve (CLOEXEC): EOF means the process runs.
        for (;;) {
            SyncMessage msg;
            try {
                msg = channel.receive();
            } catch (const Error&) {
                break;
            }
            if (msg.type == SyncType::error) throw Error(msg.payload);
            if (msg.type == SyncType::console) {
                deliver_console(msg, opt.console_socket,
                                opt.console_socket.empty() ? &console : nullptr);
            }
        }
        if (!opt.pid_file.empty()) write_file_atomic(opt.pid_file, std::to_string(pid), 0644);
    } catch (...) {
        kill_and_reap(pid, pidfd.get());
        throw;
    }
    // Do not hold the container's lock while the process runs: kill/delete must still work.
    dir.unlock();
    if (opt.detach) return 0;
    return wait_foreground(pid, pidfd.get(), console.get());
}

}  // namespace hull::runtime
