#include "runtime/system/console_client.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <iostream>

#include "base/error.hpp"
#include "base/file.hpp"
#include "base/unique_fd.hpp"
#include "runtime/container.hpp"
#include "runtime/container_dir.hpp"
#include "runtime/container_record.hpp"
#include "runtime/raw_terminal.hpp"

namespace hull::system_container {

namespace {

constexpr std::size_t kChunk = 16 * 1024;

// Signals handled in the poll loop: SIGWINCH resizes; the others end the session with the
// terminal restored (their default action would leave it raw).
constexpr int kHandled[] = {SIGWINCH, SIGINT, SIGTERM, SIGHUP, SIGQUIT};

class SignalScope {
  public:
    SignalScope() {
        sigemptyset(&set_);
        for (int sig : kHandled)
            sigaddset(&set_, sig);
        ::sigprocmask(SIG_BLOCK, &set_, &old_mask_);
        // A closed stdout must end the loop through EPIPE, not kill us with the tty raw.
        struct sigaction ign {};
        ign.sa_handler = SIG_IGN;
        ::sigaction(SIGPIPE, &ign, &old_pipe_);
        fd_.reset(::signalfd(-1, &set_, SFD_CLOEXEC | SFD_NONBLOCK));
        if (!fd_) throw_errno("console: signalfd");
    }
    ~SignalScope() {
        ::sigaction(SIGPIPE, &old_pipe_, nullptr);
        ::sigprocmask(SIG_SETMASK, &old_mask_, nullptr);
    }
    SignalScope(const SignalScope&) = delete;
    SignalScope& operator=(const SignalScope&) = delete;
    int fd() const { return fd_.get(); }

  private:
    sigset_t set_{}, old_mask_{};
    struct sigaction old_pipe_ {};
    unique_fd fd_;
};

// Recognizes the detach sequence in the input stream. Bytes that may start it are held back
// until it is clear whether they do.
class DetachMatcher {
  public:
    explicit DetachMatcher(std::string keys) : keys_(std::move(keys)) {}
    // Appends to `out` what should reach the console; true once the sequence is complete.
    bool feed(const char* data, std::size_t size, std::string& out) {
        for (std::size_t i = 0; i < size; ++i) {
            char b = data[i];
            if (b != keys_[matched_] && matched_ > 0) {
                out.append(keys_, 0, matched_);
                matched_ = 0;
            }
            if (b == keys_[matched_]) {
                if (++matched_ == keys_.size()) return true;
            } else {
                out.push_back(b);
            }
        }
        return false;
    }
    // At EOF, what was held back was not a detach after all.
    void flush(std::string& out) {
        out.append(keys_, 0, matched_);
        matched_ = 0;
    }

  private:
    std::string keys_;
    std::size_t matched_ = 0;
};

void send_message(int sock, char type, const char* data, std::size_t size) {
    std::string msg(1, type);
    msg.append(data, size);
    while (::send(sock, msg.data(), msg.size(), MSG_NOSIGNAL) < 0) {
        if (errno != EINTR) throw_errno("console: send to the console");
    }
}

void send_window_size(int sock) {
    winsize ws{};
    // Unknown (pipes): 0x0, and the hub keeps the size the console has.
    if (::ioctl(0, TIOCGWINSZ, &ws) < 0 && ::ioctl(1, TIOCGWINSZ, &ws) < 0) ws = {};
    char payload[4];
    std::uint16_t rows = ws.ws_row, cols = ws.ws_col;
    std::memcpy(payload, &rows, 2);
    std::memcpy(payload + 2, &cols, 2);
    send_message(sock, 'w', payload, sizeof payload);
}

bool write_out(int fd, const char* data, std::size_t size) {
    while (size > 0) {
        ssize_t n = ::write(fd, data, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

void note(const std::string& text) {
    std::string line = "\r\n" + text + "\r\n";
    write_out(2, line.data(), line.size());
}

unique_fd connect_console(int dir_fd, const std::string& id) {
    struct stat st {};
    if (::fstatat(dir_fd, "console.sock", &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISSOCK(st.st_mode))
        throw Error("container " + id + " has no console");
    unique_fd sock(::socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0));
    if (!sock) throw_errno("console: socket");
    // Through the directory fd: <root>/<id>/console.sock may not fit in sun_path.
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::string path = "/proc/self/fd/" + std::to_string(dir_fd) + "/console.sock";
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    while (::connect(sock.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0) {
        if (errno == EINTR) continue;
        // ECONNREFUSED: a socket left by a supervisor that is gone.
        throw_errno("container " + id + " has no console: connect");
    }
    return sock;
}

enum class End { detached, closed, signaled, output_closed };

End relay(int sock, int sigfd, const std::string& keys, int& signo) {
    DetachMatcher matcher(keys);
    bool stdin_open = true;
    for (;;) {
        struct pollfd fds[3] = {
            {sock, POLLIN, 0}, {sigfd, POLLIN, 0}, {stdin_open ? 0 : -1, POLLIN, 0}};
        if (::poll(fds, 3, -1) < 0) {
            if (errno == EINTR) continue;
            throw_errno("console: poll");
        }
        // Output first: what the console printed before it closed is shown in full.
        if (fds[0].revents) {
            char buf[kChunk + 1];
            ssize_t n = ::recv(sock, buf, sizeof buf, MSG_DONTWAIT);
            if (n > 0) {
                if (!write_out(1, buf, static_cast<std::size_t>(n))) return End::output_closed;
                continue;  // the next poll sees the rest, and signals and input in between
            }
            if (n == 0 || (errno != EAGAIN && errno != EINTR)) return End::closed;
        }
        if (fds[1].revents) {
            struct signalfd_siginfo info {};
            while (::read(sigfd, &info, sizeof info) == sizeof info) {
                if (info.ssi_signo == SIGWINCH) send_window_size(sock);
                signo = static_cast<int>(info.ssi_signo);
                if (signo != SIGWINCH) return End::signaled;
            }
        }
        if (fds[2].revents) {
            char buf[kChunk];
            ssize_t n = ::read(0, buf, sizeof buf);
            if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
            std::string out;
            bool detach = false;
            if (n <= 0) {
                // EOF is not a detach: output keeps coming until the console closes.
                stdin_open = false;
                matcher.flush(out);
            } else {
                detach = matcher.feed(buf, static_cast<std::size_t>(n), out);
            }
            for (std::size_t off = 0; off < out.size(); off += kChunk)
                send_message(sock, 'd', out.data() + off, std::min(kChunk, out.size() - off));
            if (detach) return End::detached;
        }
    }
}

}  // namespace

std::string parse_detach_keys(const std::string& spec) {
    if (spec.empty()) return std::string(1, kDefaultDetachKey);
    std::string keys;
    std::size_t pos = 0;
    for (;;) {
        std::size_t comma = spec.find(',', pos);
        std::string key = spec.substr(pos, comma == std::string::npos ? comma : comma - pos);
        if (key.size() == 1) {
            keys += key;
        } else if (key.size() == 6 && key.compare(0, 5, "ctrl-") == 0) {
            char x = static_cast<char>(std::tolower(static_cast<unsigned char>(key[5])));
            if (x >= 'a' && x <= 'z')
                keys += static_cast<char>(x - 'a' + 1);
            else if (x == '@' || x == '[' || x == '\\' || x == ']' || x == '^' || x == '_')
                keys += static_cast<char>(x ^ 0x40);
            else
                throw Error("invalid detach key \"" + key + "\" in \"" + spec + "\"");
        } else {
            throw Error("invalid detach key \"" + key + "\" in \"" + spec +
                        "\": expected ctrl-<x> or one character, comma-separated");
        }
        if (comma == std::string::npos) break;
        pos = comma + 1;
    }
    return keys;
}

int cmd_console(runtime::Context& ctx, const std::string& id, const std::string& detach_keys) {
    std::string keys = parse_detach_keys(detach_keys);
    runtime::Container container = runtime::Container::open(ctx, id);
    // Our own handle on the directory for the socket path; the locked fd goes right away,
    // since a console session can last for days and must not hold up other commands. O_PATH
    // opens a new file description, which does not share the flock.
    unique_fd dir_fd(
        ::open(container.path().c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW));
    if (!dir_fd) throw_errno("open " + container.path());
    container.dir().unlock();

    if (!container.record().system)
        throw Error("container " + id +
                    " is not a system container: `hull console` needs one created with "
                    "--system-container");
    // Paused or running both have a console.
    if (container.status() == runtime::Status::stopped)
        throw Error("container " + id + " has no console: it is stopped");
    unique_fd sock = connect_console(dir_fd.get(), id);

    SignalScope signals;
    runtime::RawTerminal raw;
    send_window_size(sock.get());
    int signo = 0;
    End end = relay(sock.get(), signals.fd(), keys, signo);
    switch (end) {
        case End::detached:
            note("[detached from " + id + "]");
            return 0;
        case End::closed: {
            struct stat st {};
            bool gone = ::fstatat(dir_fd.get(), "console.sock", &st, AT_SYMLINK_NOFOLLOW) < 0;
            note(gone ? "[console of " + id + " closed: the container stopped]"
                      : "[disconnected from " + id + ": the console dropped this reader]");
            return 0;
        }
        case End::signaled:
            note("[console of " + id + ": " + ::strsignal(signo) + "]");
            return 128 + signo;
        case End::output_closed:
            return 0;
    }
    return 0;
}

}  // namespace hull::system_container
