#include "child.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <exception>
#include <stdexcept>

#include "base/file.hpp"
#include "base/unique_fd.hpp"

namespace hull::security::test {

namespace {

void child_write(int fd, const std::string& data) {
    size_t off = 0;
    while (off < data.size()) {
        ssize_t n = ::write(fd, data.data() + off, data.size() - off);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        off += static_cast<size_t>(n);
    }
}

}  // namespace

ChildResult run_in_child(const std::function<std::string()>& fn) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) < 0) throw std::runtime_error("pipe2 failed");
    unique_fd read_end(fds[0]);
    unique_fd write_end(fds[1]);
    pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        int code = 0;
        std::string out;
        try {
            out = fn();
        } catch (const std::exception& e) {
            out = e.what();
            code = 1;
        } catch (...) {
            out = "unknown exception";
            code = 2;
        }
        child_write(write_end.get(), out);
        ::_exit(code);
    }
    write_end.reset();
    ChildResult result;
    char buf[4096];
    for (;;) {
        ssize_t n = ::read(read_end.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        result.output.append(buf, static_cast<size_t>(n));
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status)) {
        result.exited = true;
        result.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        result.signal = WTERMSIG(status);
    }
    return result;
}

std::string status_field(const std::string& name) {
    std::string status = read_file("/proc/self/status");
    std::string key = "\n" + name + ":\t";
    size_t pos = status.find(key);
    if (pos == std::string::npos) throw std::runtime_error("no " + name + " in /proc/self/status");
    pos += key.size();
    std::string value = status.substr(pos, status.find('\n', pos) - pos);
    // "Groups:" ends with a space after each gid (and is " " when empty on some kernels).
    while (!value.empty() && value.back() == ' ')
        value.pop_back();
    return value;
}

}  // namespace hull::security::test
