// `hull start`: release init from exec.fifo, learn whether the exec succeeded, run poststart.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>

#include "base/error.hpp"
#include "base/syscalls.hpp"
#include "hooks/run_hooks.hpp"
#include "runtime/container.hpp"
#include "runtime/lifecycle.hpp"
#include "runtime/notify_socket.hpp"
#include "runtime/process_identity.hpp"
#include "runtime/state_json.hpp"
#include "spec/parse.hpp"

namespace hull::runtime {

namespace {

constexpr int kExitWaitMs = 10000;

// Opens the fifo without blocking, takes init's first byte, then reads until init's end
// closes: execve closes it (CLOEXEC) on success, and on failure init writes its error first.
std::string release_init(const std::string& fifo_path, int pidfd) {
    unique_fd fifo(::open(fifo_path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
    if (!fifo) throw_errno("open " + fifo_path);
    bool got_start_byte = false;
    std::string error;
    for (;;) {
        struct pollfd fds[2] = {{fifo.get(), POLLIN, 0}, {pidfd, POLLIN, 0}};
        // Before init's first byte, its death is the only other way out; after it, EOF is.
        int n = ::poll(fds, got_start_byte ? 1 : 2, -1);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw_errno("wait for container init");
        }
        if (fds[0].revents & (POLLIN | POLLHUP)) {
            char buf[4096];
            ssize_t r = ::read(fifo.get(), buf, sizeof buf);
            if (r < 0) {
                if (errno == EINTR || errno == EAGAIN) continue;
                throw_errno("read " + fifo_path);
            }
            if (r == 0) {
                if (got_start_byte) break;
                continue;
            }
            std::string chunk(buf, static_cast<size_t>(r));
            if (!got_start_byte) {
                got_start_byte = true;
                chunk.erase(0, 1);
            }
            error += chunk;
            continue;
        }
        if (!got_start_byte && (fds[1].revents & POLLIN))
            throw Error("container init exited before it could be started");
    }
    return error;
}

// runtime.md Lifecycle steps 7 and 9: a failed startContainer or poststart hook stops the
// container. Waits for init to exit, so that `start` returns with the container stopped.
void stop_container(int pidfd, cgroups::Manager* cgroup) {
    sys::pidfd_send_signal(pidfd, SIGKILL);
    if (cgroup) cgroup->kill_all(SIGKILL);
    wait_for_exit(pidfd, kExitWaitMs);
}

}  // namespace

void cmd_start(Context& ctx, const std::string& id) {
    Container container = Container::open(ctx, id);
    switch (container.status()) {
        case Status::stopped:
        case Status::creating:
            throw Error("cannot start a container that has stopped");
        case Status::running:
            throw Error("cannot start an already running container");
        case Status::paused:
            throw Error("cannot start a paused container");
        case Status::created:
            break;
    }
    unique_fd pidfd = container.init_pidfd();
    if (!pidfd) throw Error("cannot start a container that has stopped");
    // Bound before init runs, so that an early READY=1 is not lost.
    unique_fd notify = bind_notify_socket(container.path());
    std::string error = release_init(container.file("exec.fifo"), pidfd.get());
    ::unlink(container.file("exec.fifo").c_str());
    spec::Config config = spec::load_validated_config(container.file("config.json"));
    const spec::Hooks no_hooks;
    const spec::Hooks& hooks = config.hooks ? *config.hooks : no_hooks;
    if (!error.empty()) {
        // init has exited (failed exec or startContainer hook); whatever it started goes too.
        stop_container(pidfd.get(), container.cgroup());
        container.save(Status::stopped);
        throw Error(error);
    }
    container.save(Status::running);
    try {
        hooks::run_phase(hooks::Phase::poststart, hooks,
                         hook_state_json(container.record(), Status::running), ctx.log);
    } catch (const Error&) {
        // The container stays, stopped: `delete` does Lifecycle steps 12-13 (destroy, then
        // poststop hooks), as after any other stop. See README "Hooks".
        stop_container(pidfd.get(), container.cgroup());
        container.save(Status::stopped);
        throw;
    }
    // As runc: start returns once the container says it is ready (or its init is gone).
    // kill and delete must still work meanwhile.
    if (notify) {
        container.dir().unlock();
        relay_notify_until_ready(notify.get(), host_notify_socket(), pidfd.get(),
                                 container.record().pid);
    }
}

}  // namespace hull::runtime
