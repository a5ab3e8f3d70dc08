#include "runtime/system/console_hub.hpp"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>

#include "base/error.hpp"

namespace hull::system_container {

namespace {

using namespace std::chrono_literals;

constexpr const char* kSocketName = "console.sock";
constexpr const char* kLogName = "console.log";
// A pty hands out at most a few KiB per read; this is one message to a client.
constexpr std::size_t kReadChunk = 16 * 1024;
// Reads per dispatch: a container printing without pause must not starve the clients, the
// listener or the supervisor's own fds.
constexpr std::size_t kReadsPerDispatch = 64;
// The most a drain reads: a container that keeps printing cannot hold a reboot or an exit.
constexpr std::size_t kDrainReads = 1024;
// Client input the master has no room for is kept up to this much, then dropped: a console
// nobody reads on the inside must not make the hub grow or block.
constexpr std::size_t kMaxPendingInput = 64 * 1024;
constexpr std::size_t kBacklogBytes = 32 * 1024;
constexpr std::size_t kBacklogScreens = 3;
constexpr std::uint16_t kDefaultRows = 24;
// Room for bursts between two polls; a client that falls further behind is dropped.
constexpr int kClientSendBuffer = 4 * 1024 * 1024;
constexpr auto kHangupPause = 50ms;
constexpr auto kLogQuiet = 50ms;
constexpr auto kLogMaxDelay = 1000ms;

// bind() and connect() take a path of at most 108 bytes; <root>/<id> can be longer, so go
// through the directory fd's /proc link instead.
sockaddr_un socket_address(int dir_fd) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::string path = "/proc/self/fd/" + std::to_string(dir_fd) + "/" + kSocketName;
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    return addr;
}

}  // namespace

ConsoleHub::ConsoleHub(int dir_fd, std::size_t ring_bytes) : ring_(ring_bytes) {
    dir_.reset(::fcntl(dir_fd, F_DUPFD_CLOEXEC, 0));
    if (!dir_) throw_errno("console: dup state dir fd");

    log_.reset(::openat(dir_.get(), kLogName, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
                        0600));
    if (!log_) throw_errno(std::string("console: open ") + kLogName);

    listener_.reset(::socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (!listener_) throw_errno("console: socket");
    // bind() creates the socket file with the socket inode's mode: set it first, so the
    // file is never reachable by others, not even for an instant.
    if (::fchmod(listener_.get(), 0600) < 0) throw_errno("console: chmod socket");
    // A socket left by a supervisor that died would make bind fail with EADDRINUSE.
    if (::unlinkat(dir_.get(), kSocketName, 0) < 0 && errno != ENOENT)
        throw_errno(std::string("console: remove stale ") + kSocketName);
    sockaddr_un addr = socket_address(dir_.get());
    if (::bind(listener_.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0)
        throw_errno(std::string("console: bind ") + kSocketName);
    if (::listen(listener_.get(), 16) < 0) {
        int err = errno;
        ::unlinkat(dir_.get(), kSocketName, 0);
        throw_errno(std::string("console: listen on ") + kSocketName, err);
    }
}

ConsoleHub::~ConsoleHub() {
    // The socket goes before the clients: a client that sees EOF and no socket knows the
    // console is gone for good rather than that it was dropped for reading too slowly.
    ::unlinkat(dir_.get(), kSocketName, 0);
    clients_.clear();
    try {
        flush_log();
    } catch (const Error&) {
        // Nowhere to report it from a destructor; the ring dies with us either way.
    }
}

void ConsoleHub::set_master(unique_fd master) {
    drain();
    slave_.reset();
    master_ = std::move(master);
    pending_input_.clear();  // typed at the previous boot
    master_paused_until_ = {};
    if (!master_) return;
    int flags = ::fcntl(master_.get(), F_GETFL);
    if (flags < 0 || ::fcntl(master_.get(), F_SETFL, flags | O_NONBLOCK) < 0)
        throw_errno("console: make pty master non-blocking");
    // While no process in the container has the console open (between two gettys, after
    // init's vhangup), the master reports POLLHUP and EIO on every poll. Our own slave keeps
    // the pty's far side open. O_NOCTTY: it must never become the supervisor's controlling
    // terminal; we never read it, so it takes no input from the container's processes, and
    // never write it, so it adds nothing to the console. Without TIOCGPTPEER (not a pty, an
    // old kernel) the hang-up pause in read_master_once is what prevents a busy loop.
    slave_.reset(::ioctl(master_.get(), TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC));
    apply_window_size();
}

bool ConsoleHub::master_polled() const {
    return master_ && Clock::now() >= master_paused_until_;
}

void ConsoleHub::collect(std::vector<struct pollfd>& fds) const {
    std::size_t before = fds.size();
    fds.push_back({listener_.get(), POLLIN, 0});
    if (master_polled()) {
        short events = POLLIN;
        if (!pending_input_.empty()) events |= POLLOUT;
        fds.push_back({master_.get(), events, 0});
    }
    for (const auto& c : clients_)
        fds.push_back({c.fd.get(), POLLIN, 0});
    collected_ = fds.size() - before;
}

void ConsoleHub::dispatch(const std::vector<struct pollfd>& fds, std::size_t first) {
    std::size_t end = std::min(fds.size(), first + collected_);
    // The slots are matched by fd number: set_master() or a disconnect between collect() and
    // dispatch() must not make us act on the wrong object. The master goes first (its output
    // may drop a slow client), the listener last (a client accepted now was not polled).
    bool accept = false;
    for (std::size_t i = first; i < end; ++i) {
        const pollfd& p = fds[i];
        if (p.revents == 0) continue;
        if (p.fd == listener_.get()) {
            accept = true;
        } else if (master_ && p.fd == master_.get()) {
            if (p.revents & POLLOUT) flush_pending_input();
            if (p.revents & (POLLIN | POLLHUP | POLLERR)) read_master(kReadsPerDispatch);
        }
    }
    for (std::size_t i = first; i < end; ++i) {
        const pollfd& p = fds[i];
        if (p.revents == 0 || p.fd == listener_.get() || (master_ && p.fd == master_.get()))
            continue;
        auto it = std::find_if(clients_.begin(), clients_.end(),
                               [&](const Client& c) { return c.fd.get() == p.fd; });
        if (it != clients_.end()) serve_client(*it);
    }
    reap_clients();
    if (accept) accept_clients();
}

void ConsoleHub::pause_master() {
    master_paused_until_ = Clock::now() + kHangupPause;
}

bool ConsoleHub::read_master_once() {
    if (!master_) return false;
    char buf[kReadChunk];
    ssize_t n = ::read(master_.get(), buf, sizeof buf);
    if (n > 0) {
        auto now = Clock::now();
        ring_.append(std::string_view(buf, static_cast<std::size_t>(n)));
        if (!log_dirty_) dirty_since_ = now;
        log_dirty_ = true;
        last_output_ = now;
        for (auto& c : clients_) {
            if (c.attached && !c.dead) send_to(c, buf, static_cast<std::size_t>(n));
        }
        return true;
    }
    if (n < 0 && errno == EINTR) return true;
    if (n < 0 && errno == EAGAIN) return false;
    // EIO (nobody has the slave open) or anything else: the master stays ready and would be
    // reported on every poll. Look again in a while instead of spinning.
    pause_master();
    return false;
}

void ConsoleHub::read_master(std::size_t max_reads) {
    for (std::size_t i = 0; i < max_reads && read_master_once(); ++i) {
    }
}

void ConsoleHub::drain() {
    read_master(kDrainReads);
    reap_clients();
}

void ConsoleHub::write_master(const char* data, std::size_t size) {
    if (!master_ || size == 0) return;
    // Keep the order of input: nothing new goes out before what is already waiting.
    if (pending_input_.empty()) {
        ssize_t n = ::write(master_.get(), data, size);
        if (n < 0 && errno != EAGAIN && errno != EINTR) return;  // hung up: input is lost
        std::size_t done = n > 0 ? static_cast<std::size_t>(n) : 0;
        data += done;
        size -= done;
    }
    std::size_t room = kMaxPendingInput - std::min(kMaxPendingInput, pending_input_.size());
    pending_input_.append(data, std::min(size, room));
}

void ConsoleHub::flush_pending_input() {
    if (!master_ || pending_input_.empty()) return;
    ssize_t n = ::write(master_.get(), pending_input_.data(), pending_input_.size());
    if (n > 0) {
        pending_input_.erase(0, static_cast<std::size_t>(n));
    } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
        pending_input_.clear();
    }
}

void ConsoleHub::accept_clients() {
    for (;;) {
        unique_fd fd(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK));
        if (!fd) return;  // EAGAIN, or out of fds: the client sees its connection closed
        // The socket is 0600 in a root-only directory; this also holds if either is loosened.
        ucred cred{};
        socklen_t len = sizeof cred;
        if (::getsockopt(fd.get(), SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 ||
            cred.uid != ::geteuid())
            continue;
        // Root may exceed net.core.wmem_max; others get what the sysctl allows.
        if (::setsockopt(fd.get(), SOL_SOCKET, SO_SNDBUFFORCE, &kClientSendBuffer,
                         sizeof kClientSendBuffer) < 0)
            ::setsockopt(fd.get(), SOL_SOCKET, SO_SNDBUF, &kClientSendBuffer,
                         sizeof kClientSendBuffer);
        clients_.push_back(Client{std::move(fd)});
    }
}

void ConsoleHub::serve_client(Client& client) {
    // Several messages may be queued; read them all now. A client whose output failed
    // (it went away, or reads too slowly) is dropped after this, but what it typed last
    // still reaches the console.
    for (int i = 0; i < 64; ++i) {
        char buf[kReadChunk + 1];
        ssize_t n = ::recv(client.fd.get(), buf, sizeof buf, MSG_DONTWAIT);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return;
        // A client that closes with output still unread (a detach) makes the kernel report
        // ECONNRESET once, ahead of the messages it sent last: those still count.
        if (n < 0 && errno == ECONNRESET) continue;
        if (n <= 0) {
            client.dead = true;  // closed
            return;
        }
        std::size_t size = static_cast<std::size_t>(n);
        if (buf[0] == 'd') {
            write_master(buf + 1, size - 1);
        } else if (buf[0] == 'w' && size >= 5) {
            std::uint16_t rows = 0, cols = 0;
            std::memcpy(&rows, buf + 1, 2);
            std::memcpy(&cols, buf + 3, 2);
            if (rows && cols) {
                rows_ = rows;
                cols_ = cols;
                apply_window_size();
            }
        }
        // Unknown messages are ignored: a newer client may speak more.
        if (!client.attached && !client.dead) {
            client.attached = true;
            std::uint16_t screen = rows_ ? rows_ : kDefaultRows;
            std::string backlog = ring_.recent(kBacklogScreens * screen, kBacklogBytes);
            for (std::size_t off = 0; off < backlog.size() && !client.dead; off += kReadChunk)
                send_to(client, backlog.data() + off, std::min(kReadChunk, backlog.size() - off));
        }
    }
}

void ConsoleHub::send_to(Client& client, const char* data, std::size_t size) {
    ssize_t n = ::send(client.fd.get(), data, size, MSG_DONTWAIT | MSG_NOSIGNAL);
    // EAGAIN: the client reads slower than the console prints; waiting for it would stall
    // the container, so it goes (it may attach again and get the recent screens).
    if (n < 0 && errno != EINTR) client.dead = true;
}

void ConsoleHub::apply_window_size() {
    if (!master_ || !rows_ || !cols_) return;
    winsize ws{};
    ws.ws_row = rows_;
    ws.ws_col = cols_;
    ::ioctl(master_.get(), TIOCSWINSZ, &ws);  // best effort: a failure only mis-sizes screens
}

void ConsoleHub::reap_clients() {
    std::erase_if(clients_, [](const Client& c) { return c.dead; });
}

ConsoleHub::Clock::time_point ConsoleHub::log_due() const {
    // After ~50 ms of quiet, or once a second while the console never goes quiet.
    return std::min(last_output_ + kLogQuiet, dirty_since_ + kLogMaxDelay);
}

int ConsoleHub::timeout_ms() const {
    std::optional<Clock::time_point> next;
    if (log_dirty_) next = log_due();
    if (master_ && master_paused_until_ > Clock::now())
        next = next ? std::min(*next, master_paused_until_) : master_paused_until_;
    if (!next) return -1;
    auto left = std::chrono::ceil<std::chrono::milliseconds>(*next - Clock::now()).count();
    return static_cast<int>(std::clamp<long long>(left, 0, 60'000));
}

void ConsoleHub::on_timeout() {
    if (!log_dirty_ || Clock::now() < log_due()) return;  // a pause ended: collect() sees it
    try {
        flush_log();
    } catch (const Error&) {
        // A full state tmpfs must not take the console down; the next output tries again.
        log_dirty_ = false;
    }
}

void ConsoleHub::flush_log() {
    log_dirty_ = false;
    std::string data = ring_.contents();
    std::size_t off = 0;
    while (off < data.size()) {
        ssize_t n =
            ::pwrite(log_.get(), data.data() + off, data.size() - off, static_cast<off_t>(off));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw_errno(std::string("console: write ") + kLogName);
        if (n == 0) throw Error(std::string("console: write ") + kLogName + ": no progress");
        off += static_cast<std::size_t>(n);
    }
    if (::ftruncate(log_.get(), static_cast<off_t>(data.size())) < 0)
        throw_errno(std::string("console: truncate ") + kLogName);
}

}  // namespace hull::system_container
