#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "base/error.hpp"
#include "base/syscalls.hpp"
#include "hooks/process.hpp"

namespace hull::hooks::detail {

namespace {

// What the child reports over the CLOEXEC error pipe when it cannot get to the hook's code.
// Nothing arrives when execve succeeds, which is how the parent tells "exec failed" apart from
// a hook that itself exits 127.
enum class Step : int { signals, pgid, stdio, close_fds, exec };

struct ChildReport {
    Step step;
    int err;
};

const char* step_text(Step step) {
    switch (step) {
        case Step::pgid:
            return "setpgid";
        case Step::stdio:
            return "set up stdio";
        case Step::close_fds:
            return "close inherited fds";
        case Step::signals:
            return "reset signals";
        case Step::exec:
            return "exec";
    }
    return "start";
}

struct Pipe {
    unique_fd read;
    unique_fd write;
};

// Keeps our pipe ends clear of 0-2, so that dup2 onto stdio in the child never meets an fd
// that is already in place (dup2 to itself would keep FD_CLOEXEC set) and the error pipe
// is never clobbered. Matters only when hull was started with stdio closed.
unique_fd above_stdio(unique_fd fd) {
    if (fd.get() > 2) return fd;
    int moved = ::fcntl(fd.get(), F_DUPFD_CLOEXEC, 3);
    if (moved < 0) throw_errno("move pipe above stdio");
    return unique_fd(moved);
}

Pipe make_pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) < 0) throw_errno("pipe");
    Pipe p{unique_fd(fds[0]), unique_fd(fds[1])};
    p.read = above_stdio(std::move(p.read));
    p.write = above_stdio(std::move(p.write));
    return p;
}

// Everything the child needs, prepared before fork: the child may only make
// async-signal-safe calls (hull may be multi-threaded), so no allocation after fork.
struct ChildPlan {
    const char* path;
    char* const* argv;
    char* const* envp;
    int in, out, err, report;
};

[[noreturn]] void fail(int report, Step step) {
    ChildReport r{step, errno};
    ssize_t ignored = ::write(report, &r, sizeof r);
    (void)ignored;
    ::_exit(127);
}

[[noreturn]] void run_child(const ChildPlan& plan) {
    // Dispositions first, then the mask, so no inherited handler runs in the child. execve
    // resets caught signals anyway, but SIG_IGN would survive it.
    for (int sig = 1; sig < NSIG; ++sig) {
        if (sig == SIGKILL || sig == SIGSTOP) continue;
        struct sigaction sa {};
        sa.sa_handler = SIG_DFL;
        ::sigaction(sig, &sa, nullptr);  // EINVAL for libc-internal signals is expected
    }
    sigset_t none;
    sigemptyset(&none);
    if (::sigprocmask(SIG_SETMASK, &none, nullptr) < 0) fail(plan.report, Step::signals);

    // A group of its own, so that a timeout can kill whatever the hook started.
    if (::setpgid(0, 0) < 0) fail(plan.report, Step::pgid);

    if (::dup2(plan.in, 0) < 0 || ::dup2(plan.out, 1) < 0 || ::dup2(plan.err, 2) < 0)
        fail(plan.report, Step::stdio);
    int report = plan.report;
    if (report != 3) {
        if (::dup3(report, 3, O_CLOEXEC) < 0) fail(report, Step::close_fds);
        report = 3;
    }
    // Closes even fds opened without O_CLOEXEC (by libraries, or inherited by hull).
    if (sys::close_range(4, ~0U, 0) < 0) fail(report, Step::close_fds);

    ::execve(plan.path, plan.argv, plan.envp);
    fail(report, Step::exec);
}

std::vector<char*> c_strings(const std::vector<std::string>& strings) {
    std::vector<char*> out;
    out.reserve(strings.size() + 1);
    for (const auto& s : strings)
        out.push_back(const_cast<char*>(s.c_str()));
    out.push_back(nullptr);
    return out;
}

// Blocks until the child has exec'd (EOF) or reported why it could not.
bool read_report(int fd, ChildReport& report) {
    size_t got = 0;
    auto* bytes = reinterpret_cast<char*>(&report);
    while (got < sizeof report) {
        ssize_t n = ::read(fd, bytes + got, sizeof report - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        got += static_cast<size_t>(n);
    }
    return got == sizeof report;
}

}  // namespace

SpawnedHook spawn_hook(const spec::Hook& hook) {
    const std::string what = "hook " + hook.path + " failed";
    std::vector<std::string> argv_strings =
        hook.args.empty() ? std::vector<std::string>{hook.path} : hook.args;
    std::vector<char*> argv = c_strings(argv_strings);
    std::vector<char*> envp = c_strings(hook.env);

    Pipe in = make_pipe();
    Pipe out = make_pipe();
    Pipe err = make_pipe();
    Pipe report = make_pipe();
    ChildPlan plan{hook.path.c_str(), argv.data(),     envp.data(),       in.read.get(),
                   out.write.get(),   err.write.get(), report.write.get()};

    pid_t pid = ::fork();
    if (pid < 0) throw_errno(what + ": fork");
    if (pid == 0) run_child(plan);

    // The child is ours and unreaped, so its pid cannot be reused before pidfd_open.
    unique_fd pidfd(sys::pidfd_open(pid));
    int pidfd_errno = errno;
    // Also set from this side, so that the group exists before we could ever signal it;
    // fails harmlessly (EACCES) once the child has exec'd.
    ::setpgid(pid, pid);
    HookProcess process(pid, std::move(pidfd));
    if (!process.has_pidfd()) throw_errno(what + ": pidfd_open", pidfd_errno);

    in.read.reset();
    out.write.reset();
    err.write.reset();
    report.write.reset();

    ChildReport r{};
    if (read_report(report.read.get(), r)) {
        process.reap();
        if (r.step == Step::exec) throw_errno(what + ": exec failed", r.err);
        throw_errno(what + ": " + step_text(r.step), r.err);
    }
    return SpawnedHook{std::move(process), std::move(in.write), std::move(out.read),
                       std::move(err.read)};
}

}  // namespace hull::hooks::detail
