// `hull create`: the parent side of the process model in README "Architecture".
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "base/error.hpp"
#include "base/file.hpp"
#include "base/syscalls.hpp"
#include "bundle/host_mounts.hpp"
#include "bundle/mount_options.hpp"
#include "bundle/rootfs.hpp"
#include "hooks/run_hooks.hpp"
#include "runtime/cgroups/manager.hpp"
#include "runtime/container_dir.hpp"
#include "runtime/container_extension.hpp"
#include "runtime/container_id.hpp"
#include "runtime/container_init.hpp"
#include "runtime/container_record.hpp"
#include "runtime/create_plan.hpp"
#include "runtime/device_rules.hpp"
#include "runtime/lifecycle.hpp"
#include "runtime/net_devices.hpp"
#include "runtime/notify_socket.hpp"
#include "runtime/process_identity.hpp"
#include "runtime/security/lsm.hpp"
#include "runtime/socket_activation.hpp"
#include "runtime/spawn.hpp"
#include "runtime/state_json.hpp"
#include "spec/parse.hpp"
#include "spec/schema.hpp"

namespace hull::runtime {

namespace {

std::string absolute_path(const std::string& path, const std::string& what) {
    char buf[PATH_MAX];
    if (!::realpath(path.c_str(), buf)) throw_errno(what + " " + path);
    return buf;
}

std::string owner_name() {
    return ::geteuid() == 0 ? "root" : std::to_string(::geteuid());
}

// Everything create made, undone in reverse unless commit() is called.
class CreateTransaction {
  public:
    // keep_dir: a reboot's directory, which outlives a failed boot (console.log, the record).
    CreateTransaction(Context& ctx, ContainerDir& dir, bool keep_dir)
        : ctx_(ctx), dir_(dir), keep_dir_(keep_dir) {}
    CreateTransaction(const CreateTransaction&) = delete;
    CreateTransaction& operator=(const CreateTransaction&) = delete;
    ~CreateTransaction() {
        if (committed_) return;
        try {
            rollback();
        } catch (const std::exception& e) {
            ctx_.log.warn(std::string("cleanup after failed create: ") + e.what());
        }
    }

    void set_init(pid_t pid, unique_fd pidfd) {
        pid_ = pid;
        pidfd_ = std::move(pidfd);
    }
    void set_cgroup(cgroups::Manager* cgroup) { cgroup_ = cgroup; }
    // A container in the host's mount namespace: what create mounts below rootfs, beyond the
    // mounts with these ids, is unmounted on rollback.
    void unmount_below(std::string rootfs, std::vector<int> keep) {
        host_mounts_rootfs_ = std::move(rootfs);
        host_mounts_keep_ = std::move(keep);
    }
    void run_poststop(const spec::Hooks* hooks, std::string state_json) {
        poststop_hooks_ = hooks;
        poststop_state_ = std::move(state_json);
    }
    void commit() { committed_ = true; }

  private:
    void rollback() {
        if (pidfd_) kill_and_reap(pid_, pidfd_.get());
        if (cgroup_) cgroup_->destroy();
        if (!host_mounts_rootfs_.empty())
            bundle::unmount_all_under(host_mounts_rootfs_, host_mounts_keep_);
        if (!keep_dir_) dir_.remove();
        // Lifecycle step 13, after the container is gone (config.md: "after the container is
        // deleted").
        if (poststop_hooks_)
            hooks::run_phase(hooks::Phase::poststop, *poststop_hooks_, poststop_state_, ctx_.log);
    }

    Context& ctx_;
    ContainerDir& dir_;
    bool keep_dir_;
    pid_t pid_ = 0;
    unique_fd pidfd_;
    cgroups::Manager* cgroup_ = nullptr;
    const spec::Hooks* poststop_hooks_ = nullptr;
    std::string poststop_state_;
    std::string host_mounts_rootfs_;
    std::vector<int> host_mounts_keep_;
    bool committed_ = false;
};

// Returns the host's LSMs, which init needs too.
security::LsmState require_runnable(const spec::Config& config) {
    if (!config.process) throw Error("config.json: /process: required to create a container");
    if (!config.root) throw Error("config.json: /root: required to create a container");
    if (!config.linux) throw Error("config.json: /linux: required to create a container");
    // Without a mount namespace the container shares the host's (config-linux.md), as runc
    // runs it. Masking or write-protecting paths there would do it for the host; runc refuses
    // both as well.
    if (!config.has_namespace("mount")) {
        if (!config.linux->masked_paths.empty())
            throw Error(
                "config.json: /linux/maskedPaths: needs a mount namespace (/linux/namespaces "
                "has none: the container would share the host's, where nothing can be masked)");
        if (config.has_namespace("user"))
            throw Error(
                "config.json: /linux/namespaces: a user namespace needs a mount namespace too "
                "(mounts in the host's namespace need the host's privileges)");
        if (!config.linux->readonly_paths.empty())
            throw Error(
                "config.json: /linux/readonlyPaths: needs a mount namespace (/linux/namespaces "
                "has none: the container would share the host's)");
    }
    // Refused here, before anything is made, rather than at start.
    security::LsmState lsms = security::detect_lsms();
    security::require_lsms(config.process->apparmor_profile,
                           "config.json: /process/apparmorProfile", config.process->selinux_label,
                           "config.json: /process/selinuxLabel", lsms);
    // Not implemented yet: refused rather than accepted and left out (config-linux.md: a
    // runtime that cannot apply intelRdt MUST fail).
    if (config.linux->intel_rdt)
        throw Error("config.json: /linux/intelRdt: not supported by hull yet");
    check_net_devices(config);
    // Without SELinux there are no labels to apply, as runc takes it; with SELinux hull would
    // leave the mounts unlabelled, so it refuses.
    if (!config.linux->mount_label.empty() && lsms.selinux)
        throw Error("config.json: /linux/mountLabel: mount labels are not supported by hull yet");
    bundle::check_mount_options(config);
    return lsms;
}

// The channel to init broke: why, in the words the user needs.
Error init_lost(pid_t pid) {
    int status = 0;
    pid_t reaped = ::waitpid(pid, &status, WNOHANG);
    std::string how = reaped == pid && WIFSIGNALED(status)
                          ? "killed by signal " + std::to_string(WTERMSIG(status))
                          : "exited";
    return Error("container init " + how + " during create");
}

}  // namespace

CreatePlan plan_create(Context& ctx, const CreateOptions& opt) {
    validate_container_id(opt.id);
    CreatePlan plan;
    plan.bundle = absolute_path(opt.bundle, "bundle");
    plan.config_text = read_file(plan.bundle + "/config.json");
    // An empty process.args is an init to discover in system-container mode, an error
    // otherwise (checked below, once the mode is known).
    spec::ValidateOptions validate;
    validate.allow_empty_args = true;
    plan.config = spec::parse_config(plan.config_text, "config.json", validate);
    spec::Config& config = plan.config;
    plan.lsms = require_runnable(config);
    const ContainerExtension* extension = ctx.extension;
    bool claimed = extension && extension->claims(config);
    if (!claimed && config.process->args.empty())
        throw Error(
            "config.json: /process/args: at least one argument is required (the program "
            "to run)");
    plan.listen_fds = inherited_listen_fds();
    if (plan.listen_fds > 0) add_listen_env(*config.process, plan.listen_fds);
    if (!host_notify_socket().empty()) {
        std::string root = ctx.options.root;
        if (root.empty() || root[0] != '/') root = absolute_path(".", "cwd") + "/" + root;
        add_notify_socket(config, root + "/" + opt.id);
    }
    // config.md: capabilities that cannot be mapped are a warning, not a failure.
    for (const auto& warning : spec::config_warnings(config, "config.json"))
        ctx.log.warn(warning);
    std::string root_path = config.root->path;
    if (root_path.empty() || root_path[0] != '/') root_path = plan.bundle + "/" + root_path;
    try {
        plan.rootfs = absolute_path(root_path, "rootfs");
    } catch (const Error& e) {
        throw e.with_context("config.json: /root/path");
    }
    if (claimed) {
        plan.extension = extension;
        extension->plan(ctx, opt, plan);
    }
    return plan;
}

CreatedContainer create_container(Context& ctx, const CreateOptions& opt, bool keep_console) {
    return build_container(ctx, opt, plan_create(ctx, opt), keep_console, nullptr);
}

CreatedContainer build_container(Context& ctx, const CreateOptions& opt, const CreatePlan& plan,
                                 bool keep_console, RebootOf* reboot) {
    const spec::Config& config = plan.config;
    const spec::Process& process = *config.process;
    if (process.terminal && opt.console_socket.empty() && !keep_console)
        throw Error("cannot allocate tty if hull will detach without setting console socket");
    if (!process.terminal && !opt.console_socket.empty())
        throw Error("cannot use console socket if hull will not detach or allocate tty");
    const std::string& bundle = plan.bundle;
    const std::string& rootfs = plan.rootfs;
    const std::string& config_text = plan.config_text;
    security::LsmState lsms = plan.lsms;

    std::optional<ContainerDir> made;
    if (!reboot) made.emplace(ContainerDir::create(ctx.options.root, opt.id));
    ContainerDir& dir = reboot ? reboot->dir : *made;
    // Declared before the transaction, which must roll back while the manager still lives.
    std::unique_ptr<cgroups::Manager> cgroup;
    CreateTransaction tx(ctx, dir, reboot != nullptr);
    std::string fifo = dir.file("exec.fifo");
    if (reboot && ::unlink(fifo.c_str()) < 0 && errno != ENOENT) throw_errno("unlink " + fifo);
    // 0622 whatever the umask: init may run as another host uid (a user namespace's root).
    if (::mkfifo(fifo.c_str(), 0622) < 0 || ::chmod(fifo.c_str(), 0622) < 0)
        throw_errno("mkfifo " + fifo);
    write_file(dir.file("config.json"), config_text, 0600);
    if (!host_notify_socket().empty()) make_notify_dir(dir.path());

    ContainerRecord record;
    record.oci_version = config.oci_version;
    record.id = opt.id;
    record.status = Status::creating;
    record.bundle = bundle;
    record.rootfs = rootfs;
    record.created = rfc3339_now();
    record.owner = owner_name();
    record.annotations = config.annotations;
    record.system = plan.system_record;
    // A reboot is the same container: it keeps the time it was first created.
    if (reboot) record.created = reboot->previous.created;

    if (!config.has_namespace("mount")) {
        record.shared_mount_ns = true;
        record.rootfs_mounts_before = bundle::mount_ids_under(rootfs);
        tx.unmount_below(rootfs, record.rootfs_mounts_before);
    }

    cgroup = cgroups::open_manager(config.linux->cgroups_path, opt.id, ctx.options.systemd_cgroup,
                                   ctx.log);
    // An init cloned into a frozen cgroup stops before it can report, and create would wait
    // for it forever. runc refuses the same. Checked before the cgroup becomes this create's
    // to clean up: a frozen one that exists already belongs to someone else.
    if (cgroup->frozen())
        throw Error("/linux/cgroupsPath: the container's cgroup exists and is frozen (" +
                    cgroup->describe() + "); thaw it or choose another cgroupsPath");
    tx.set_cgroup(cgroup.get());
    // Recorded before any directory exists, so that `delete --force` after a create killed
    // in the middle of mkdir still knows which cgroup to remove.
    record.cgroup = cgroups::manager_to_json(*cgroup);
    save_record(dir, record);
    cgroup->create();
    // Limits are in place before the first instruction of the container runs.
    spec::Resources resources = config.linux->resources.value_or(spec::Resources{});
    resources.devices = effective_device_rules(config);
    cgroup->apply(resources);
    // Saved with the pid once init is set up; until then the record above suffices for
    // cleanup (destroy() removes the container's directories whoever made them, and an
    // orphaned init exits when it sees create's end of the channel close).
    record.cgroup = cgroups::manager_to_json(*cgroup);

    auto [channel, child_channel] = SyncChannel::make_pair();
    InitRequest request;
    request.spawn.config = &config;
    request.spawn.process = &process;
    request.spawn.cgroup = cgroup.get();
    request.spawn.close_in_child = {dir.fd(), channel.fd()};
    request.spawn.launch.preserve_fds = plan.listen_fds + opt.preserve_fds;
    request.spawn.launch.listen_pid = plan.listen_fds > 0;
    request.spawn.launch.lsms = lsms;
    request.spawn.launch.log = &ctx.log;
    unique_fd state_dir_fd(::open(dir.path().c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!state_dir_fd) throw_errno("open " + dir.path());
    request.state_dir_fd = state_dir_fd.get();
    request.plan = plan_namespaces(config);
    // netDevices move once init's network namespace exists: on the slow path that is known
    // only when a second fork reports the real init, after the unshare.
    if (!request.plan.direct && !config.linux->net_devices.empty()) request.plan.second_fork = true;
    request.no_new_keyring = opt.no_new_keyring;
    request.console_held_by_supervisor = plan.console_held_by_supervisor;
    request.start_follows = plan.start_follows;
    request.rootfs.rootfs = rootfs;
    request.rootfs.bundle_dir = bundle;
    request.rootfs.no_pivot = opt.no_pivot;
    request.rootfs.host_mount_namespace = !config.has_namespace("mount");
    request.rootfs.in_user_namespace = config.has_namespace("user");
    request.state = oci_state(record, Status::creating);

    // Bind sources are resolved with the host's credentials, which init loses once it is in
    // the container's user namespace: make their trees here and hand over the fds.
    std::vector<unique_fd> premade_trees;
    if (config.has_namespace("user"))
        for (std::size_t i = 0; i < config.mounts.size(); ++i)
            if (bundle::needs_host_side_tree(config.mounts[i])) {
                premade_trees.push_back(
                    bundle::make_host_side_tree(config, config.mounts[i], bundle));
                request.rootfs.premade_trees[i] = premade_trees.back().get();
            }
    // init is a copy of this process and keeps its heap while it waits for start: hand
    // back what parsing and validation freed first.
    spec::release_schemas();
    ::malloc_trim(0);
    Spawned init = spawn_process(request.plan.direct ? request.plan.clone_flags : 0,
                                 cgroup->cgroup_fd_for_clone(), "container init");
    pid_t pid = init.pid;
    if (pid == 0) run_container_init(request, child_channel);
    cgroup->after_clone();
    child_channel.close();
    state_dir_fd.reset();
    premade_trees.clear();
    tx.set_init(pid, std::move(init.pidfd));

    if (!request.plan.direct) {
        if (request.plan.unshare_user) {
            channel.expect(SyncType::need_id_maps);
            write_id_maps(pid, config.linux->uid_mappings, config.linux->gid_mappings);
            channel.send(SyncType::id_maps_done);
        }
        if (request.plan.second_fork) {
            pid_t init = std::stoi(channel.expect(SyncType::init_pid).payload);
            int status;
            while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
            }
            pid = init;
            unique_fd init_fd(sys::pidfd_open(pid, 0));
            if (!init_fd) throw_errno("pidfd_open container init");
            tx.set_init(pid, std::move(init_fd));
        }
    } else if (request.plan.new_user) {
        write_id_maps(pid, config.linux->uid_mappings, config.linux->gid_mappings);
    }

    auto stat = read_process_stat(pid);
    if (!stat) throw Error("container init exited during create");
    // Before init goes on, so that every hook and the container process see the devices.
    move_net_devices(config, pid);
    record.pid = pid;
    record.start_time = stat->start_time;

    const spec::Hooks no_hooks;
    const spec::Hooks& hooks = config.hooks ? *config.hooks : no_hooks;
    std::string state_json = hook_state_json(record, Status::creating);
    CreatedContainer result;
    try {
        channel.send(SyncType::go, std::to_string(pid));
    } catch (const Error&) {
        // init died before listening: its own error message is what the user needs.
        SyncMessage msg = channel.receive();
        if (msg.type == SyncType::error) throw Error(msg.payload);
        throw;
    }
    for (bool done = false; !done;) {
        SyncMessage msg;
        try {
            msg = channel.receive();
        } catch (const Error&) {
            throw init_lost(pid);
        }
        switch (msg.type) {
            case SyncType::run_hooks:
                tx.run_poststop(&hooks, hook_state_json(record, Status::stopped));
                hooks::run_phase(hooks::Phase::prestart, hooks, state_json, ctx.log);
                hooks::run_phase(hooks::Phase::create_runtime, hooks, state_json, ctx.log);
                try {
                    channel.send(SyncType::hooks_done);
                } catch (const Error&) {
                    // A hook may have killed init: say so, not "Broken pipe".
                    throw init_lost(pid);
                }
                break;
            case SyncType::console:
                deliver_console(msg, opt.console_socket,
                                keep_console ? &result.console_master : nullptr);
                break;
            case SyncType::created:
                done = true;
                break;
            case SyncType::error:
                throw Error(msg.payload);
            default:
                throw Error("unexpected message from container init");
        }
    }

    record.status = Status::created;
    save_record(dir, record);
    if (!opt.pid_file.empty()) {
        std::string pid_file = opt.pid_file;
        if (pid_file[0] != '/') pid_file = absolute_path(".", "cwd") + "/" + pid_file;
        write_file_atomic(pid_file, std::to_string(pid), 0644);
    }
    channel.send(SyncType::go);
    tx.commit();
    result.pid = pid;
    result.pidfd.reset(sys::pidfd_open(pid, 0));
    ctx.log.debug("created container " + opt.id + " with init pid " + std::to_string(pid));
    return result;
}

BuildContainer supervised_build(Context& ctx, const CreateOptions& options) {
    return [&ctx, &options](const CreatePlan& plan, RebootOf* reboot) {
        return build_container(ctx, options, plan, true, reboot);
    };
}

void cmd_create(Context& ctx, const CreateOptions& options) {
    CreatePlan plan = plan_create(ctx, options);
    if (const ContainerExtension* extension = plan.extension)
        extension->create(ctx, options, std::move(plan), supervised_build(ctx, options));
    else
        build_container(ctx, options, plan, false, nullptr);
}

}  // namespace hull::runtime
