// Real ptys and console.sock clients for the console tests (no mocks).
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "base/unique_fd.hpp"
#include "runtime/system/console_hub.hpp"

namespace hull::test::console {

struct TestPty {
    unique_fd master;
    unique_fd slave;
    std::string slave_name;
};

// A pty whose slave is raw: bytes pass unchanged (no CRLF, no echo).
inline TestPty open_test_pty() {
    TestPty p;
    p.master.reset(::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
    if (!p.master || ::grantpt(p.master.get()) < 0 || ::unlockpt(p.master.get()) < 0)
        throw std::runtime_error("posix_openpt failed");
    p.slave_name = ::ptsname(p.master.get());
    p.slave.reset(::open(p.slave_name.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC));
    if (!p.slave) throw std::runtime_error("open pty slave failed");
    termios t{};
    ::tcgetattr(p.slave.get(), &t);
    ::cfmakeraw(&t);
    ::tcsetattr(p.slave.get(), TCSANOW, &t);
    return p;
}

inline bool ends_with(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

inline void write_all(int fd, const std::string& data) {
    size_t off = 0;
    while (off < data.size()) {
        ssize_t n = ::write(fd, data.data() + off, data.size() - off);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        off += static_cast<size_t>(n);
    }
}

// "<prefix>from\n" ... "<prefix>to\n"
inline std::string numbered_lines(const std::string& prefix, int from, int to) {
    std::string s;
    for (int i = from; i <= to; ++i)
        s += prefix + std::to_string(i) + "\n";
    return s;
}

// Runs the hub's poll loop until done() or the time is up. Returns how many polls found an
// fd ready: a busy loop shows as thousands.
inline int pump(
    system_container::ConsoleHub& hub, std::chrono::milliseconds limit,
    const std::function<bool()>& done = [] { return false; }) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    int ready = 0;
    while (!done()) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                        deadline - std::chrono::steady_clock::now())
                        .count();
        if (left <= 0) break;
        std::vector<pollfd> fds;
        hub.collect(fds);
        int t = hub.timeout_ms();
        int wait = t < 0 ? static_cast<int>(left) : std::min(t, static_cast<int>(left));
        int n = ::poll(fds.data(), fds.size(), std::min(wait, 20));
        if (n > 0) {
            ++ready;
            hub.dispatch(fds, 0);
        }
        if (hub.timeout_ms() == 0) hub.on_timeout();
    }
    return ready;
}

inline unique_fd connect_client(int dir_fd) {
    unique_fd fd(::socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0));
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::string path = "/proc/self/fd/" + std::to_string(dir_fd) + "/console.sock";
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0)
        throw std::runtime_error("connect console.sock: " + std::string(std::strerror(errno)));
    return fd;
}

inline void send_window(int fd, std::uint16_t rows, std::uint16_t cols) {
    char msg[5] = {'w'};
    std::memcpy(msg + 1, &rows, 2);
    std::memcpy(msg + 3, &cols, 2);
    ::send(fd, msg, sizeof msg, MSG_NOSIGNAL);
}

inline void send_data(int fd, const std::string& data) {
    std::string msg = "d" + data;
    ::send(fd, msg.data(), msg.size(), MSG_NOSIGNAL);
}

// Everything queued on a client socket now; eof set when the hub closed it.
inline std::string receive(int fd, bool* eof = nullptr) {
    std::string out;
    char buf[65536];
    for (;;) {
        ssize_t n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
        if (n > 0) {
            out.append(buf, static_cast<size_t>(n));
            continue;
        }
        if (eof) *eof = n == 0 || (n < 0 && errno != EAGAIN);
        return out;
    }
}

// Everything readable on a non-blocking read of fd now.
inline std::string read_available(int fd) {
    std::string out;
    char buf[65536];
    for (;;) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 0) <= 0 || !(p.revents & POLLIN)) return out;
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n <= 0) return out;
        out.append(buf, static_cast<size_t>(n));
    }
}

}  // namespace hull::test::console
