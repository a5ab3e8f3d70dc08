#include "runtime/foreground.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "base/error.hpp"
#include "base/file.hpp"
#include "base/syscalls.hpp"
#include "base/unique_fd.hpp"
#include "runtime/raw_terminal.hpp"

namespace hull::runtime {

namespace {

// Signals a user expects to reach the container when sent to `hull run`.
constexpr int kForwarded[] = {SIGHUP,  SIGINT,  SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2,
                              SIGALRM, SIGCONT, SIGTSTP, SIGTTIN, SIGTTOU, SIGWINCH};

class BlockedSignals {
  public:
    BlockedSignals() {
        sigemptyset(&set_);
        for (int sig : kForwarded)
            sigaddset(&set_, sig);
        ::sigprocmask(SIG_BLOCK, &set_, &old_);
        fd_.reset(::signalfd(-1, &set_, SFD_CLOEXEC | SFD_NONBLOCK));
        if (!fd_) throw_errno("signalfd");
    }
    ~BlockedSignals() { ::sigprocmask(SIG_SETMASK, &old_, nullptr); }
    BlockedSignals(const BlockedSignals&) = delete;
    BlockedSignals& operator=(const BlockedSignals&) = delete;
    int fd() const { return fd_.get(); }

  private:
    sigset_t set_{}, old_{};
    unique_fd fd_;
};

void copy_window_size(int master) {
    struct winsize ws {};
    if (::isatty(0) && ::ioctl(0, TIOCGWINSZ, &ws) == 0) ::ioctl(master, TIOCSWINSZ, &ws);
}

// Returns false at EOF or error.
bool pump(int from, int to) {
    char buf[16384];
    ssize_t n = ::read(from, buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
    if (n <= 0) return false;
    try {
        write_all(to, std::string(buf, static_cast<size_t>(n)), "terminal");
    } catch (const Error&) {
        return false;
    }
    return true;
}

}  // namespace

int wait_foreground(pid_t pid, int pidfd, int console_master) {
    BlockedSignals signals;
    RawTerminal raw(console_master >= 0);
    if (console_master >= 0) copy_window_size(console_master);
    bool master_open = console_master >= 0;
    bool stdin_open = console_master >= 0;
    for (;;) {
        struct pollfd fds[4] = {{pidfd, POLLIN, 0},
                                {signals.fd(), POLLIN, 0},
                                {master_open ? console_master : -1, POLLIN, 0},
                                {stdin_open ? 0 : -1, POLLIN, 0}};
        if (::poll(fds, 4, -1) < 0) {
            if (errno == EINTR) continue;
            throw_errno("poll");
        }
        if (fds[2].revents) master_open = pump(console_master, 1);
        if (fds[3].revents) stdin_open = pump(0, console_master);
        if (fds[1].revents & POLLIN) {
            struct signalfd_siginfo info {};
            while (::read(signals.fd(), &info, sizeof info) == sizeof info) {
                int sig = static_cast<int>(info.ssi_signo);
                if (sig == SIGWINCH && console_master >= 0)
                    copy_window_size(console_master);
                else
                    sys::pidfd_send_signal(pidfd, sig);
            }
        }
        if (fds[0].revents & POLLIN) break;
    }
    // Drain what the container wrote before it exited.
    while (master_open) {
        struct pollfd pfd {
            console_master, POLLIN, 0
        };
        if (::poll(&pfd, 1, 0) <= 0 || !pump(console_master, 1)) break;
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) throw_errno("wait for container process");
    }
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}

}  // namespace hull::runtime
