// SCMP_ACT_NOTIFY with linux.seccomp.listenerPath: hull sends the listener fd and the
// container process state to an agent, which then decides the container's syscalls.
#include <linux/seccomp.h>
#include <poll.h>
#include <rapidjson/document.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstring>
#include <thread>

#include "support/hull_env.hpp"

using hull::test::HullEnv;

namespace {

struct Agent {
    std::string state_json;
    int notifications = 0;
};

// Accepts one connection, takes the fd and state, then answers every notification with
// EPERM-like error 13 (EACCES) until the container exits.
void run_agent(int listen_fd, Agent& agent) {
    struct pollfd p {
        listen_fd, POLLIN, 0
    };
    if (::poll(&p, 1, 20000) != 1) return;
    int conn = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    char buf[65536];
    struct iovec iov {
        buf, sizeof buf
    };
    alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(int))];
    struct msghdr msg {};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n = ::recvmsg(conn, &msg, MSG_CMSG_CLOEXEC);
    ::close(conn);
    if (n <= 0) return;
    agent.state_json.assign(buf, static_cast<size_t>(n));
    struct cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
    if (!cmsg) return;
    int notify_fd;
    std::memcpy(&notify_fd, CMSG_DATA(cmsg), sizeof notify_fd);
    for (;;) {
        struct pollfd np {
            notify_fd, POLLIN, 0
        };
        if (::poll(&np, 1, 20000) != 1 || (np.revents & (POLLHUP | POLLERR))) break;
        struct seccomp_notif req {};
        if (::ioctl(notify_fd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) break;
        ++agent.notifications;
        struct seccomp_notif_resp resp {};
        resp.id = req.id;
        resp.error = -EACCES;
        ::ioctl(notify_fd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
    }
    ::close(notify_fd);
}

// The agent's listening socket at path.
int listen_at(const std::string& path, int backlog) {
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un addr {};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(::listen(fd, backlog) == 0);
    return fd;
}

}  // namespace

TEST_CASE("seccomp notify: the agent gets the fd and the state, and decides the syscall") {
    HullEnv env;
    std::string sock = env.dir() / "agent.sock";
    int listen_fd = listen_at(sock, 1);
    Agent agent;
    std::thread agent_thread([&] { run_agent(listen_fd, agent); });

    auto bundle = env.bundle("b", {"sh", "-c", "mkdir /tmp/x 2>&1; echo rc=$?"});
    bundle.set("/linux/seccomp", R"({"defaultAction":"SCMP_ACT_ALLOW","listenerPath":")" + sock +
                                     R"(","listenerMetadata":"meta-1",
        "syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_NOTIFY"}]})");
    auto r = env.run(bundle, "notify");
    agent_thread.join();
    ::close(listen_fd);
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains("Permission denied"));
    CHECK(agent.notifications >= 1);
    rapidjson::Document state;
    state.Parse(agent.state_json.c_str());
    REQUIRE_FALSE(state.HasParseError());
    CHECK(std::string(state["metadata"].GetString()) == "meta-1");
    CHECK(std::string(state["fds"][0].GetString()) == "seccompFd");
    CHECK(std::string(state["state"]["id"].GetString()) == "notify");
    // The host's pid of the container process, not 1.
    CHECK(state["pid"].GetInt() > 1);
    CHECK(state["state"]["pid"].GetInt() == state["pid"].GetInt());
    CHECK(env.leaks() == "");
}

TEST_CASE("seccomp notify: an exec'd process's listener reaches the agent too") {
    // It used to reach nobody: the exec'd process got ENOSYS for every notified syscall.
    HullEnv env;
    std::string sock = env.dir() / "agent.sock";
    int listen_fd = listen_at(sock, 2);
    Agent for_init, for_exec;
    std::thread init_agent([&] { run_agent(listen_fd, for_init); });

    auto bundle = env.bundle("b", {"sleep", "300"});
    bundle.set("/linux/seccomp", R"({"defaultAction":"SCMP_ACT_ALLOW","listenerPath":")" + sock +
                                     R"(","listenerMetadata":"meta-2",
        "syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_NOTIFY"}]})");
    auto run = env.hull({"run", "-d", "--bundle", bundle.path(), "n2"});
    REQUIRE(run.status == 0);
    // init's connection is made during create: the next one is the exec'd process's.
    for (int i = 0; i < 400 && for_init.state_json.empty(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::thread exec_agent([&] { run_agent(listen_fd, for_exec); });
    auto exec = env.hull({"exec", "n2", "sh", "-c", "mkdir /tmp/y 2>&1; echo rc=$?"});
    exec_agent.join();
    CHECK(env.hull({"delete", "--force", "n2"}).status == 0);
    init_agent.join();
    ::close(listen_fd);

    INFO(exec.err);
    CHECK(exec.status == 0);
    CHECK_THAT(exec.out, Catch::Contains("Permission denied"));
    CHECK(for_exec.notifications >= 1);
    rapidjson::Document state;
    state.Parse(for_exec.state_json.c_str());
    REQUIRE_FALSE(state.HasParseError());
    CHECK(std::string(state["metadata"].GetString()) == "meta-2");
    CHECK(std::string(state["state"]["id"].GetString()) == "n2");
    // The exec'd process's own host pid, not init's.
    CHECK(state["pid"].GetInt() > 1);
    CHECK(state["pid"].GetInt() != state["state"]["pid"].GetInt());
    CHECK(env.leaks() == "");
}
