#include "runtime/system/supervisor.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <optional>

#include "base/error.hpp"
#include "base/file.hpp"
#include "base/process_title.hpp"
#include "base/syscalls.hpp"
#include "hooks/run_hooks.hpp"
#include "runtime/container.hpp"
#include "runtime/process_identity.hpp"
#include "runtime/state_json.hpp"
#include "runtime/system/console_hub.hpp"
#include "runtime/system/machine_registration.hpp"

namespace hull::system_container {

namespace {

// One byte, because the channel never reaches EOF while init (which inherited the pipe and
// waits for `start` before exec closes it) lives: 'o' is success, 'e' is followed by the
// error, and the end of that is the supervisor's exit.
constexpr char kReportOk = 'o';
constexpr char kReportError = 'e';

// The signals the supervisor takes through its signalfd: children, and being told to go.
class SupervisorSignals {
  public:
    SupervisorSignals() {
        sigemptyset(&set_);
        for (int sig : {SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1})
            sigaddset(&set_, sig);
        if (::sigprocmask(SIG_BLOCK, &set_, nullptr) < 0) throw_errno("sigprocmask");
        fd_.reset(::signalfd(-1, &set_, SFD_CLOEXEC | SFD_NONBLOCK));
        if (!fd_) throw_errno("signalfd");
    }
    int fd() const { return fd_.get(); }
    // SIGTERM, SIGINT, SIGQUIT: stop now. SIGUSR1 (from `hull delete`): no more reboots.
    // SIGCHLD and SIGHUP only wake us.
    struct Requests {
        bool stop = false;
        bool retire = false;
    };
    Requests read() {
        Requests r;
        struct signalfd_siginfo info {};
        while (::read(fd_.get(), &info, sizeof info) == sizeof info) {
            int sig = static_cast<int>(info.ssi_signo);
            if (sig == SIGTERM || sig == SIGINT || sig == SIGQUIT) r.stop = true;
            if (sig == SIGUSR1) r.retire = true;
        }
        return r;
    }

  private:
    sigset_t set_{};
    unique_fd fd_;
};

// stdio belonged to whoever ran `hull create`, who may be waiting for it to close.
void detach_stdio() {
    unique_fd null(::open("/dev/null", O_RDWR | O_CLOEXEC));
    if (!null) return;
    for (int fd = 0; fd <= 2; ++fd)
        ::dup2(null.get(), fd);
}

bool is_reboot(int status) {
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGHUP;
}

std::string describe_end(int status) {
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        if (sig == SIGHUP) return "rebooted";
        if (sig == SIGINT) return "halted";
        return "killed by signal " + std::to_string(sig);
    }
    return "exited with status " + std::to_string(WEXITSTATUS(status));
}

class Supervisor {
  public:
    Supervisor(runtime::Context& ctx, const runtime::CreateOptions& options,
               runtime::CreatePlan plan, runtime::BuildContainer build)
        : ctx_(ctx), options_(options), plan_(std::move(plan)), build_(std::move(build)) {}

    // The first boot, reported to `hull create` through report.
    runtime::CreatedContainer first_boot() {
        stamp_record(1);
        return build_(plan_, nullptr);
    }

    int run(runtime::CreatedContainer container) {
        unique_fd dir(::open((ctx_.options.root + "/" + options_.id).c_str(),
                             O_PATH | O_DIRECTORY | O_CLOEXEC));
        if (!dir) throw_errno("open state directory of " + options_.id);
        ConsoleHub hub(dir.get(), system_plan().settings.console_buffer);
        hub.set_master(std::move(container.console_master));
        pid_t init = container.pid;
        // Unregistered when run returns: the container halted, or is being deleted.
        MachineRegistration machine(options_.id, system_plan().uuid, plan_.rootfs, ctx_.log);
        machine.register_leader(init);
        int reboots = 0;
        for (;;) {
            std::optional<int> status = wait_for_init(hub, init);
            if (!status) return 0;  // told to stop
            hub.drain();
            ctx_.log.info("system container " + options_.id + ": init " + describe_end(*status));
            if (!is_reboot(*status) || retiring_) return 0;
            int limit = system_plan().settings.reboot_limit;
            if (limit >= 0 && reboots >= limit) {
                ctx_.log.warn("system container " + options_.id + ": reboot limit (" +
                              std::to_string(limit) + ") reached, staying stopped");
                return 0;
            }
            ++reboots;
            std::optional<runtime::CreatedContainer> next = reboot(init);
            if (!next) return 0;
            init = next->pid;
            machine.register_leader(init);
            hub.set_master(std::move(next->console_master));
        }
    }

  private:
    const SystemPlan& system_plan() const {
        return std::any_cast<const SystemPlan&>(plan_.extension_plan);
    }

    // The record's system part names this supervisor, which builds every boot.
    void stamp_record(int boots) {
        runtime::SystemRecord& record = *plan_.system_record;
        record.monitor_pid = ::getpid();
        auto self = runtime::read_process_stat(record.monitor_pid);
        record.monitor_start_time = self ? self->start_time : 0;
        record.boots = boots;
    }

    // Relays the console until init ends (its wait status) or we are told to stop.
    std::optional<int> wait_for_init(ConsoleHub& hub, pid_t init) {
        for (;;) {
            std::vector<struct pollfd> fds{{signals_.fd(), POLLIN, 0}};
            hub.collect(fds);
            int n = ::poll(fds.data(), fds.size(), hub.timeout_ms());
            if (n < 0) {
                if (errno == EINTR) continue;
                throw_errno("poll");
            }
            if (n == 0) {
                hub.on_timeout();
                continue;
            }
            hub.dispatch(fds, 1);
            if (fds[0].revents & POLLIN) {
                auto requests = signals_.read();
                if (requests.stop) return std::nullopt;
                if (requests.retire) retiring_ = true;
                // We are a subreaper: orphans of the container's setup end up here too.
                int status = 0;
                std::optional<int> init_status;
                for (pid_t pid; (pid = ::waitpid(-1, &status, WNOHANG)) > 0;)
                    if (pid == init) init_status = status;
                if (init_status) return init_status;
            }
        }
    }

    // Tears down the ended boot and builds the next one; nullopt when the container is gone
    // (deleted meanwhile) or cannot come back.
    std::optional<runtime::CreatedContainer> reboot(pid_t old_init) {
        try {
            runtime::ContainerDir dir = runtime::ContainerDir::open(ctx_.options.root, options_.id);
            runtime::ContainerRecord previous = runtime::load_record(dir);
            // Deleted and made again by someone else meanwhile: not ours any more.
            if (previous.pid != old_init || !previous.system ||
                previous.system->monitor_pid != ::getpid())
                return std::nullopt;
            if (auto cgroup = runtime::reopen_cgroup(previous, ctx_.log)) cgroup->destroy();
            const spec::Hooks no_hooks;
            const spec::Hooks& hooks = plan_.config.hooks ? *plan_.config.hooks : no_hooks;
            hooks::run_phase(hooks::Phase::poststop, hooks,
                             runtime::hook_state_json(previous, runtime::Status::stopped),
                             ctx_.log);
            stamp_record(previous.system->boots + 1);
            runtime::RebootOf of{dir, previous};
            runtime::CreatedContainer next = build_(plan_, &of);
            dir.unlock();
            try {
                runtime::cmd_start(ctx_, options_.id);
            } catch (...) {
                if (next.pidfd) sys::pidfd_send_signal(next.pidfd.get(), SIGKILL);
                throw;
            }
            ctx_.log.info("system container " + options_.id + ": booted again, init pid " +
                          std::to_string(next.pid));
            return next;
        } catch (const std::exception& e) {
            ctx_.log.error("system container " + options_.id + ": reboot failed: " + e.what());
            return std::nullopt;
        }
    }

    runtime::Context& ctx_;
    const runtime::CreateOptions& options_;
    runtime::CreatePlan plan_;
    runtime::BuildContainer build_;
    SupervisorSignals signals_;
    bool retiring_ = false;
};

void report(int fd, const std::string& message) {
    try {
        write_all(fd, message, "report to hull create");
    } catch (const Error&) {
        // `hull create` is gone; it can no longer be told.
    }
}

[[noreturn]] void supervisor_main(runtime::Context& ctx, const runtime::CreateOptions& options,
                                  runtime::CreatePlan plan, runtime::BuildContainer build,
                                  unique_fd report_fd) {
    int code = 1;
    try {
        ::setsid();
        // Not the caller's directory: it might be a mount that must be unmountable.
        if (::chdir("/") < 0) throw_errno("chdir /");
        // A second fork for the pid namespace makes init our grandchild: it must come back
        // to us, not to the host's init, when the intermediate process exits.
        ::prctl(PR_SET_CHILD_SUBREAPER, 1);
        set_process_title("[hull monitor] " + ctx.options.root + " " + options.id, "hull-monitor");
        Supervisor supervisor(ctx, options, std::move(plan), std::move(build));
        runtime::CreatedContainer container;
        try {
            container = supervisor.first_boot();
        } catch (const std::exception& e) {
            report(report_fd.get(), kReportError + std::string(e.what()));
            ::_exit(1);
        }
        report(report_fd.get(), std::string(1, kReportOk));
        report_fd.reset();
        detach_stdio();
        // Without --log, lines went to the caller's stderr, which is gone now.
        if (!ctx.log.to_file())
            ctx.log = Logger(ctx.options.root + "/" + options.id + "/supervisor.log",
                             ctx.options.log_format, ctx.options.debug);
        code = supervisor.run(std::move(container));
    } catch (const std::exception& e) {
        ctx.log.error("system container " + options.id + ": supervisor: " + e.what());
    }
    ::_exit(code);
}

}  // namespace

void create_supervised(runtime::Context& ctx, const runtime::CreateOptions& options,
                       runtime::CreatePlan plan, runtime::BuildContainer build) {
    int pipefd[2];
    if (::pipe2(pipefd, O_CLOEXEC) < 0) throw_errno("pipe");
    unique_fd read_end(pipefd[0]), write_end(pipefd[1]);
    pid_t pid = ::fork();
    if (pid < 0) throw_errno("fork supervisor");
    if (pid == 0) {
        read_end.reset();
        supervisor_main(ctx, options, std::move(plan), std::move(build), std::move(write_end));
    }
    write_end.reset();
    std::string message;
    char buf[4096];
    for (ssize_t n; (n = ::read(read_end.get(), buf, sizeof buf)) != 0;) {
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw_errno("read supervisor report");
        message.append(buf, static_cast<std::size_t>(n));
        if (message[0] == kReportOk) return;
    }
    // It failed and exits (or died): collect it so that nothing is left.
    int status;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (message.empty()) throw Error("supervisor of " + options.id + " died during create");
    throw Error(message.substr(1));
}

}  // namespace hull::system_container
