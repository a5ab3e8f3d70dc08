#include "runtime/security/seccomp_listener.hpp"

#include <sys/socket.h>
#include <sys/un.h>

#include <cerrno>
#include <cstring>

#include "base/error.hpp"
#include "base/file.hpp"
#include "base/log.hpp"
#include "spec/config.hpp"

namespace hull::security {

unique_fd connect_unix(const std::string& path) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.empty() || path.size() >= sizeof addr.sun_path) {
        throw Error("connect " + path + ": unix socket path must be 1 to " +
                    std::to_string(sizeof addr.sun_path - 1) + " bytes");
    }
    std::memcpy(addr.sun_path, path.data(), path.size());
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw_errno("socket for " + path);
    unique_fd sock(fd);
    int rc;
    do {
        rc = ::connect(sock.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
    } while (rc < 0 && errno == EINTR);
    if (rc < 0) throw_errno("connect " + path);
    return sock;
}

std::string seccomp_process_state_json(pid_t pid, const std::string& metadata,
                                       const std::string& state_json) {
    std::string out = "{\"ociVersion\":\"" + std::string(spec::kOciVersion) +
                      "\",\"fds\":[\"seccompFd\"],\"pid\":" + std::to_string(pid);
    if (!metadata.empty()) out += ",\"metadata\":\"" + json_escape(metadata) + "\"";
    out += ",\"state\":" + state_json + "}";
    return out;
}

void send_seccomp_listener(int connected_socket, int listener_fd,
                           const std::string& process_state_json) {
    if (process_state_json.empty()) throw Error("send seccomp listener: empty process state");
    iovec iov{};
    iov.iov_base = const_cast<char*>(process_state_json.data());
    iov.iov_len = process_state_json.size();
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(cmsg), &listener_fd, sizeof(int));

    ssize_t sent;
    do {
        sent = ::sendmsg(connected_socket, &msg, MSG_NOSIGNAL);
    } while (sent < 0 && errno == EINTR);
    if (sent < 0) throw_errno("send seccomp listener fd to the seccomp agent");
    // The fd went with the first byte; the spec allows the rest in further plain writes.
    if (static_cast<size_t>(sent) < process_state_json.size()) {
        write_all(connected_socket, process_state_json.substr(static_cast<size_t>(sent)),
                  "seccomp agent socket");
    }
}

}  // namespace hull::security
