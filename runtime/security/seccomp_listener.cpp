#include "runtime/security/seccomp_listener.hpp"

#include <sys/socket.h>
#include <sys/un.h>

#include <cerrno>
#include <cstring>

#include "base/error.hpp"
#include "base/fd_passing.hpp"
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
    size_t sent = send_with_fd(connected_socket, process_state_json, listener_fd,
                               "send seccomp listener fd to the seccomp agent");
    // The fd went with the first byte; the spec allows the rest in further plain writes.
    if (sent < process_state_json.size()) {
        write_all(connected_socket, process_state_json.substr(sent), "seccomp agent socket");
    }
}

}  // namespace hull::security
