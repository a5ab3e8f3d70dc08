#include "attached_console.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <stdexcept>

#include "support/command.hpp"

namespace hull::test {

namespace {

std::pair<unique_fd, unique_fd> make_pipe() {
    int p[2];
    if (::pipe2(p, O_CLOEXEC) < 0) throw std::runtime_error("pipe");
    return {unique_fd(p[0]), unique_fd(p[1])};
}

}  // namespace

AttachedConsole::AttachedConsole(const std::vector<std::string>& argv) {
    auto [in_r, in_w] = make_pipe();
    auto [out_r, out_w] = make_pipe();
    auto [err_r, err_w] = make_pipe();
    std::vector<char*> args;
    for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    // Not posix_spawn: the test's orphan reaper must know this child is ours to wait for.
    pid_ = fork_awaited();
    if (pid_ < 0) throw std::runtime_error("fork");
    if (pid_ == 0) {
        ::dup2(in_r.get(), 0);
        ::dup2(out_w.get(), 1);
        ::dup2(err_w.get(), 2);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    in_ = std::move(in_w);
    out_fd_ = std::move(out_r);
    err_fd_ = std::move(err_r);
}

AttachedConsole::~AttachedConsole() {
    if (pid_ > 0) wait(0);
}

bool AttachedConsole::read_until(const std::string& text, int seconds) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (out_.find(text) == std::string::npos) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                        deadline - std::chrono::steady_clock::now())
                        .count();
        if (left <= 0) return false;
        struct pollfd pfd {
            out_fd_.get(), POLLIN, 0
        };
        if (::poll(&pfd, 1, static_cast<int>(left)) <= 0) continue;
        char buf[4096];
        ssize_t n = ::read(out_fd_.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        out_.append(buf, static_cast<std::size_t>(n));
    }
    return true;
}

void AttachedConsole::type(const std::string& keys) {
    ssize_t n = ::write(in_.get(), keys.data(), keys.size());
    (void)n;
}

int AttachedConsole::wait(int seconds) {
    if (pid_ <= 0) return -1;
    int status = 0;
    for (int i = 0; i <= seconds * 20; ++i) {
        pid_t r = ::waitpid(pid_, &status, WNOHANG);
        if (r == pid_) {
            forget_awaited(pid_);
            pid_ = -1;
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
        ::usleep(50000);
    }
    ::kill(pid_, SIGKILL);
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    forget_awaited(pid_);
    pid_ = -1;
    return 128 + SIGKILL;
}

std::string AttachedConsole::err() {
    std::string s;
    char buf[4096];
    ::fcntl(err_fd_.get(), F_SETFL, O_NONBLOCK);
    for (ssize_t n; (n = ::read(err_fd_.get(), buf, sizeof buf)) > 0;)
        s.append(buf, static_cast<std::size_t>(n));
    return s;
}

}  // namespace hull::test
