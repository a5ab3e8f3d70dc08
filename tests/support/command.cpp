#include "command.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <stdexcept>

namespace hull::test {

namespace {

std::mutex awaited_mutex;
std::set<int> awaited;

}  // namespace

bool is_awaited(int pid) {
    std::lock_guard<std::mutex> lock(awaited_mutex);
    return awaited.count(pid) > 0;
}

int fork_awaited() {
    std::lock_guard<std::mutex> lock(awaited_mutex);
    pid_t pid = ::fork();
    if (pid > 0) awaited.insert(pid);
    return pid;
}

void forget_awaited(int pid) {
    std::lock_guard<std::mutex> lock(awaited_mutex);
    awaited.erase(pid);
}

std::string hull_binary() {
    return HULL_BINARY;
}

std::string read_text(const std::string& path) {
    std::ifstream f(path);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

CommandResult run_command(const std::vector<std::string>& argv, const CommandOptions& options) {
    int in[2], out[2], err[2];
    if (::pipe2(in, O_CLOEXEC) || ::pipe2(out, O_CLOEXEC) || ::pipe2(err, O_CLOEXEC))
        throw std::runtime_error("pipe failed");
    // Hold the lock across fork so the reaper cannot take this child before it is registered.
    std::unique_lock<std::mutex> lock(awaited_mutex);
    pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        ::dup2(in[0], 0);
        ::dup2(out[1], 1);
        ::dup2(err[1], 2);
        ::setpgid(0, 0);
        if (!options.cwd.empty() && ::chdir(options.cwd.c_str()) < 0) ::_exit(126);
        for (const auto& [k, v] : options.env)
            ::setenv(k.c_str(), v.c_str(), 1);
        std::vector<char*> args;
        for (const auto& a : argv)
            args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        ::execvp(args[0], args.data());
        ::_exit(127);
    }
    awaited.insert(pid);
    lock.unlock();
    ::close(in[0]);
    ::close(out[1]);
    ::close(err[1]);
    if (!options.input.empty()) {
        signal(SIGPIPE, SIG_IGN);
        ssize_t ignored = ::write(in[1], options.input.data(), options.input.size());
        (void)ignored;
    }
    ::close(in[1]);
    CommandResult result;
    struct timespec start {};
    ::clock_gettime(CLOCK_MONOTONIC, &start);
    // Stop at the command's exit, not at EOF: a container it created may keep the pipes.
    int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    ::fcntl(out[0], F_SETFL, O_NONBLOCK);
    ::fcntl(err[0], F_SETFL, O_NONBLOCK);
    bool out_open = true, err_open = true, killed = false, exited = false;
    auto drain = [&](int i, int fd) {
        char buf[65536];
        for (;;) {
            ssize_t r = ::read(fd, buf, sizeof buf);
            if (r > 0) {
                (i == 0 ? result.out : result.err).append(buf, static_cast<size_t>(r));
                continue;
            }
            if (r == 0) (i == 0 ? out_open : err_open) = false;
            return;
        }
    };
    while (!exited) {
        struct pollfd fds[3] = {{out_open ? out[0] : -1, POLLIN, 0},
                                {err_open ? err[0] : -1, POLLIN, 0},
                                {pidfd, POLLIN, 0}};
        int n = ::poll(fds, 3, 1000);
        struct timespec now {};
        ::clock_gettime(CLOCK_MONOTONIC, &now);
        if (!killed && now.tv_sec - start.tv_sec > options.timeout_seconds) {
            ::kill(-pid, SIGKILL);
            killed = true;
        }
        if (n <= 0) continue;
        if (fds[0].revents) drain(0, out[0]);
        if (fds[1].revents) drain(1, err[0]);
        if (fds[2].revents) exited = true;
    }
    if (out_open) drain(0, out[0]);
    if (err_open) drain(1, err[0]);
    ::close(pidfd);
    ::close(out[0]);
    ::close(err[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    {
        std::lock_guard<std::mutex> done(awaited_mutex);
        awaited.erase(pid);
    }
    result.status = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
    return result;
}

}  // namespace hull::test
