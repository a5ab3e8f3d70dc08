#include "hooks/supervise.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <optional>

#include "base/error.hpp"

namespace hull::hooks::detail {

namespace {

using Clock = std::chrono::steady_clock;

// Per poll round, so a hook that floods its output cannot keep us from checking the deadline.
constexpr size_t kReadPerRound = 256 * 1024;
// After the hook exited: what is already in the pipe, but not forever if a background child
// of the hook keeps writing.
constexpr size_t kDrainLimit = 1024 * 1024;
constexpr size_t kWriteChunk = 64 * 1024;

void set_nonblocking(int fd) {
    int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) throw_errno("fcntl O_NONBLOCK");
}

void keep_tail(std::string& buf, const char* data, size_t n) {
    if (n >= kOutputCap) {
        buf.assign(data + (n - kOutputCap), kOutputCap);
        return;
    }
    buf.append(data, n);
    if (buf.size() > kOutputCap) buf.erase(0, buf.size() - kOutputCap);
}

// Reads what is available now, up to limit bytes. Closes fd at EOF or on a read error.
void read_available(unique_fd& fd, std::string& buf, size_t limit) {
    char chunk[16384];
    size_t total = 0;
    while (fd && total < limit) {
        ssize_t n = ::read(fd.get(), chunk, sizeof chunk);
        if (n > 0) {
            keep_tail(buf, chunk, static_cast<size_t>(n));
            total += static_cast<size_t>(n);
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && errno == EAGAIN) {
            return;
        } else {
            fd.reset();
        }
    }
}

// Writes as much of input as the pipe takes now. Closes fd when everything is written (the
// hook sees EOF) or when the hook has closed its end (EPIPE): a hook need not read its state.
void feed(unique_fd& fd, const std::string& input, size_t& offset) {
    while (offset < input.size()) {
        size_t len = std::min(input.size() - offset, kWriteChunk);
        ssize_t n = ::write(fd.get(), input.data() + offset, len);
        if (n > 0) {
            offset += static_cast<size_t>(n);
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && errno == EAGAIN) {
            return;
        } else {
            break;
        }
    }
    fd.reset();
}

void record_exit(const siginfo_t& info, HookResult& result) {
    if (info.si_code == CLD_EXITED) {
        result.exit_status = info.si_status;
        result.term_signal = 0;
    } else {
        result.exit_status = -1;
        result.term_signal = info.si_status;
    }
}

}  // namespace

HookResult supervise(SpawnedHook& hook, const std::string& input, int timeout_seconds) {
    HookResult result;
    if (input.empty()) hook.stdin_w.reset();
    for (unique_fd* fd : {&hook.stdin_w, &hook.stdout_r, &hook.stderr_r}) {
        if (*fd) set_nonblocking(fd->get());
    }
    std::optional<Clock::time_point> deadline;
    if (timeout_seconds > 0) deadline = Clock::now() + std::chrono::seconds(timeout_seconds);

    size_t offset = 0;
    for (bool exited = false; !exited;) {
        int wait_ms = -1;
        if (deadline) {
            auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - Clock::now());
            if (left.count() <= 0) {
                result.timed_out = true;
                break;
            }
            wait_ms = static_cast<int>(std::min<long long>(left.count(), INT_MAX));
        }
        pollfd fds[4];
        nfds_t count = 0;
        auto watch = [&](const unique_fd& fd, short events) {
            if (!fd) return -1;
            fds[count] = pollfd{fd.get(), events, 0};
            return static_cast<int>(count++);
        };
        int in = watch(hook.stdin_w, POLLOUT);
        int out = watch(hook.stdout_r, POLLIN);
        int err = watch(hook.stderr_r, POLLIN);
        int pid = static_cast<int>(count);
        fds[count++] = pollfd{hook.process.pidfd(), POLLIN, 0};

        if (::poll(fds, count, wait_ms) < 0) {
            if (errno == EINTR) continue;
            throw_errno("poll hook");
        }
        if (in >= 0 && fds[in].revents != 0) feed(hook.stdin_w, input, offset);
        if (out >= 0 && fds[out].revents != 0)
            read_available(hook.stdout_r, result.out, kReadPerRound);
        if (err >= 0 && fds[err].revents != 0)
            read_available(hook.stderr_r, result.err, kReadPerRound);
        exited = fds[pid].revents != 0;
    }

    hook.stdin_w.reset();
    // Before reaping: the unreaped hook pins its pid, so the pgid cannot name anyone else.
    if (result.timed_out) hook.process.kill_group();
    record_exit(hook.process.reap(), result);
    // Everything the hook wrote before exiting is in the pipes by now. Background children
    // that inherited stdout/stderr may keep them open; we do not wait for their EOF.
    read_available(hook.stdout_r, result.out, kDrainLimit);
    read_available(hook.stderr_r, result.err, kDrainLimit);
    hook.stdout_r.reset();
    hook.stderr_r.reset();
    return result;
}

}  // namespace hull::hooks::detail
