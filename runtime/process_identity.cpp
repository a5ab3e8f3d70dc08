#include "runtime/process_identity.hpp"

#include <poll.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>

#include "base/error.hpp"
#include "base/file.hpp"
#include "base/syscalls.hpp"

namespace hull::runtime {

std::optional<ProcessStat> read_process_stat(pid_t pid) {
    std::string text;
    try {
        // A process that is gone is the usual answer (delete, state): it costs no exception.
        auto stat = read_file_if_exists("/proc/" + std::to_string(pid) + "/stat");
        if (!stat) return std::nullopt;
        text = std::move(*stat);
    } catch (const Error&) {
        return std::nullopt;
    }
    // comm (field 2) may hold spaces and parentheses: fields resume after the last ')'.
    auto close = text.rfind(')');
    if (close == std::string::npos || close + 2 >= text.size()) return std::nullopt;
    ProcessStat stat;
    stat.state = text[close + 2];
    const char* p = text.c_str() + close + 2;
    // We are at field 3; field 22 is 19 fields further.
    for (int field = 3; field < 22; ++field) {
        p = std::strchr(p, ' ');
        if (!p) return std::nullopt;
        ++p;
    }
    stat.start_time = std::strtoull(p, nullptr, 10);
    return stat;
}

bool process_alive(pid_t pid, std::uint64_t start_time) {
    if (pid <= 0) return false;
    auto stat = read_process_stat(pid);
    return stat && stat->state != 'Z' && stat->state != 'X' && stat->start_time == start_time;
}

unique_fd open_verified_pidfd(pid_t pid, std::uint64_t start_time) {
    if (pid <= 0) return {};
    unique_fd fd(sys::pidfd_open(pid, 0));
    if (!fd) return {};
    if (!process_alive(pid, start_time)) return {};
    return fd;
}

bool wait_for_exit(int pidfd, int timeout_ms) {
    struct pollfd pfd {
        pidfd, POLLIN, 0
    };
    int n;
    while ((n = ::poll(&pfd, 1, timeout_ms)) < 0 && errno == EINTR) {
    }
    return n > 0;
}

}  // namespace hull::runtime
