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
#include "base/fd_passing.hpp"
#include "base/file.hpp"
#include "bundle/rootfs.hpp"

namespace hull::runtime {

Pty open_container_pty(const std::optional<spec::ConsoleSize>& size, bool bind_dev_console,
                       bool controlling) {
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
    if (controlling && ::ioctl(slave.get(), TIOCSCTTY, 0) < 0)
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
    send_with_fd(sock.get(), name, master_fd, "send console fd to " + socket_path);
}

}  // namespace hull::runtime
