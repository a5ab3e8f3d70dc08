#include <sys/wait.h>

#include <cerrno>

#include "base/error.hpp"
#include "base/syscalls.hpp"
#include "hooks/process.hpp"

namespace hull::hooks::detail {

HookProcess::HookProcess(HookProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)), pidfd_(std::move(other.pidfd_)) {}

HookProcess::~HookProcess() {
    if (pid_ < 0) return;
    kill_group();
    try {
        reap();
    } catch (const Error&) {
        // Someone else reaped it (e.g. SIGCHLD ignored); nothing is left to clean up.
    }
}

void HookProcess::kill_group() noexcept {
    if (pid_ < 0) return;
    ::kill(-pid_, SIGKILL);
    if (pidfd_) sys::pidfd_send_signal(pidfd_.get(), SIGKILL);
}

siginfo_t HookProcess::reap() {
    siginfo_t info{};
    for (;;) {
        int r = pidfd_ ? ::waitid(P_PIDFD, static_cast<id_t>(pidfd_.get()), &info, WEXITED)
                       : ::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED);
        if (r == 0) break;
        if (errno == EINTR) continue;
        int err = errno;
        pid_ = -1;
        throw_errno("wait for hook process", err);
    }
    pid_ = -1;
    return info;
}

}  // namespace hull::hooks::detail
