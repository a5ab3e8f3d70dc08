#include "runtime/notify_socket.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sstream>

#include "base/error.hpp"

namespace hull::runtime {

namespace {

sockaddr_un socket_address(const std::string& path, socklen_t& length, const char* what) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.empty() || path.size() >= sizeof addr.sun_path)
        throw Error(std::string(what) + ": socket path \"" + path + "\" is empty or too long");
    std::memcpy(addr.sun_path, path.data(), path.size());
    // "@name" is an abstract socket (sd_notify(3)): a leading NUL, no terminating one.
    if (path[0] == '@') addr.sun_path[0] = '\0';
    length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size() +
                                    (path[0] == '@' ? 0 : 1));
    return addr;
}

std::string notify_dir(const std::string& state_dir) {
    return state_dir + "/" + kNotifyDirName;
}

}  // namespace

std::string host_notify_socket() {
    const char* v = std::getenv("NOTIFY_SOCKET");
    return v ? v : "";
}

void add_notify_socket(spec::Config& config, const std::string& state_dir) {
    spec::Mount m;
    m.destination = kContainerNotifyDir;
    m.type = "bind";
    m.source = notify_dir(state_dir);
    m.options = {"bind", "ro", "nosuid", "nodev", "noexec"};
    config.mounts.push_back(std::move(m));
    auto& env = config.process->env;
    std::erase_if(env, [](const std::string& e) { return e.rfind("NOTIFY_SOCKET=", 0) == 0; });
    env.push_back(std::string("NOTIFY_SOCKET=") + kContainerNotifySocket);
}

void make_notify_dir(const std::string& state_dir) {
    std::string dir = notify_dir(state_dir);
    if (::mkdir(dir.c_str(), 0755) < 0 && errno != EEXIST) throw_errno("mkdir " + dir);
    if (::chmod(dir.c_str(), 0755) < 0) throw_errno("chmod " + dir);
}

unique_fd bind_notify_socket(const std::string& state_dir) {
    std::string dir = notify_dir(state_dir);
    if (host_notify_socket().empty() || ::access(dir.c_str(), F_OK) != 0) return {};
    std::string path = dir + "/notify.sock";
    ::unlink(path.c_str());
    unique_fd sock(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!sock) throw_errno("notify socket");
    socklen_t len = 0;
    sockaddr_un addr = socket_address(path, len, "notify socket");
    if (::bind(sock.get(), reinterpret_cast<sockaddr*>(&addr), len) < 0)
        throw_errno("bind " + path);
    // Any user the container runs as (a user namespace's root too) may send to it.
    if (::chmod(path.c_str(), 0777) < 0) throw_errno("chmod " + path);
    return sock;
}

std::string rewrite_notify_message(const std::string& message, pid_t init_host_pid, bool* ready) {
    std::istringstream lines(message);
    std::string out;
    bool has_ready = false, has_mainpid = false;
    for (std::string line; std::getline(lines, line);) {
        if (line.empty()) continue;
        // The pid the container names is one of its own namespace: meaningless outside.
        if (line.rfind("MAINPID=", 0) == 0) {
            line = "MAINPID=" + std::to_string(init_host_pid);
            has_mainpid = true;
        }
        if (line == "READY=1") has_ready = true;
        out += line + "\n";
    }
    if (has_ready && !has_mainpid) out += "MAINPID=" + std::to_string(init_host_pid) + "\n";
    if (ready) *ready = has_ready;
    return out;
}

bool relay_notify_until_ready(int container_socket, const std::string& host_socket, int init_pidfd,
                              pid_t init_host_pid) {
    unique_fd out(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!out) throw_errno("socket for NOTIFY_SOCKET");
    socklen_t len = 0;
    sockaddr_un addr = socket_address(host_socket, len, "NOTIFY_SOCKET");
    for (;;) {
        struct pollfd fds[2] = {{container_socket, POLLIN, 0}, {init_pidfd, POLLIN, 0}};
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            throw_errno("wait for the container's notification");
        }
        if (fds[0].revents & POLLIN) {
            char buf[4096];
            ssize_t n = ::recv(container_socket, buf, sizeof buf, MSG_DONTWAIT);
            if (n < 0) {
                if (errno == EINTR || errno == EAGAIN) continue;
                throw_errno("read the container's notification");
            }
            bool ready = false;
            std::string msg = rewrite_notify_message(std::string(buf, static_cast<size_t>(n)),
                                                     init_host_pid, &ready);
            if (!msg.empty() && ::sendto(out.get(), msg.data(), msg.size(), MSG_NOSIGNAL,
                                         reinterpret_cast<sockaddr*>(&addr), len) < 0)
                throw_errno("relay the container's notification to NOTIFY_SOCKET " + host_socket);
            if (ready) return true;
            continue;
        }
        // Messages sent before init exited were read above; after that nothing will come.
        if (fds[1].revents & POLLIN) return false;
    }
}

}  // namespace hull::runtime
