#include "runtime/console.hpp"

#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/error.hpp"
#include "base/file.hpp"
#include "bundle/rootfs.hpp"

namespace hull::runtime {

Pty open_container_pty(const std::optional<spec::ConsoleSize>& size, bool bind_dev_console) {
    Pty pty;
    pty.master.reset(::open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC));
    if (!pty.master) throw_errno("open /dev/ptmx (process.terminal needs /dev/pts mounted)");
    if (::unlockpt(pty.master.get()) < 0) throw_errno("unlockpt");
    char name[128];
    if (::ptsname_r(pty.master.get(), name, sizeof name) != 0) throw_errno("ptsname");
    pty.slave_name = name;
    if (size) {
        struct winsize ws {};
        ws.ws_row = static_cast<unsigned short>(size->height);
        ws.ws_col = static_cast<unsigned short>(size->width);
        if (::ioctl(pty.master.get(), TIOCSWINSZ, &ws) < 0) throw_errno("set console size");
    }
    unique_fd slave(::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC));
    if (!slave) throw_errno(std::string("open ") + name);
    if (bind_dev_console) bundle::mount_console(pty.slave_name);
    if (::setsid() < 0 && errno != EPERM) throw_errno("setsid");
    if (::ioctl(slave.get(), TIOCSCTTY, 0) < 0)
        throw_errno("make the pty the controlling terminal");
    for (int fd = 0; fd < 3; ++fd)
        if (::dup2(slave.get(), fd) < 0) throw_errno("dup2 pty to stdio");
    return pty;
}

void send_console_fd(const std::string& socket_path, int master_fd, const std::string& name) {
    unique_fd sock(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!sock) throw_errno("socket");
    struct sockaddr_un addr {};
    addr.sun_family = AF_UNIX;
    if (socket_path.size() >= sizeof addr.sun_path)
        throw Error("console socket path too long: " + socket_path);
    std::memcpy(addr.sun_path, socket_path.c_str(), socket_path.size() + 1);
    if (::connect(sock.get(), reinterpret_cast<struct sockaddr*>(&addr), sizeof addr) < 0)
        throw_errno("connect to console socket " + socket_path);
    std::string payload = name;
    struct iovec iov {
        payload.data(), payload.size()
    };
    struct msghdr msg {};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    struct cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(cmsg), &master_fd, sizeof(int));
    while (::sendmsg(sock.get(), &msg, MSG_NOSIGNAL) < 0) {
        if (errno != EINTR) throw_errno("send console fd to " + socket_path);
    }
}

namespace {

class RawMode {
  public:
    explicit RawMode(int fd) : fd_(fd) {
        if (!::isatty(fd) || ::tcgetattr(fd, &saved_) < 0) return;
        struct termios raw = saved_;
        ::cfmakeraw(&raw);
        active_ = ::tcsetattr(fd, TCSANOW, &raw) == 0;
    }
    ~RawMode() {
        if (active_) ::tcsetattr(fd_, TCSANOW, &saved_);
    }
    RawMode(const RawMode&) = delete;
    RawMode& operator=(const RawMode&) = delete;

  private:
    int fd_;
    struct termios saved_ {};
    bool active_ = false;
};

bool pump(int from, int to) {
    char buf[8192];
    ssize_t n = ::read(from, buf, sizeof buf);
    if (n <= 0) return n < 0 && (errno == EINTR || errno == EAGAIN);
    try {
        write_all(to, std::string(buf, static_cast<size_t>(n)), "console");
    } catch (const Error&) {
        return false;
    }
    return true;
}

}  // namespace

void relay_console(int master_fd) {
    RawMode raw(0);
    bool stdin_open = true;
    for (;;) {
        struct pollfd fds[2] = {{master_fd, POLLIN, 0}, {0, POLLIN, 0}};
        int n = ::poll(fds, stdin_open ? 2 : 1, -1);
        if (n < 0) {
            if (errno == EINTR) continue;
            return;
        }
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            if (!pump(master_fd, 1)) return;
        }
        if (stdin_open && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
            if (!pump(0, master_fd)) stdin_open = false;
        }
    }
}

}  // namespace hull::runtime
