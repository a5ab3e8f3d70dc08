// What systemd hands a runtime and runc passes on: NOTIFY_SOCKET (Podman's
// --sdnotify=container, Type=notify units) and socket activation (LISTEN_FDS). No systemd is
// needed to test either: the test is the caller, with its own socket and fds.
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include "support/hull_env.hpp"

using hull::test::HullEnv;

namespace {

// The caller's NOTIFY_SOCKET: a datagram socket the test reads without blocking.
class HostNotifySocket {
  public:
    explicit HostNotifySocket(const std::string& path) : path_(path) {
        fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        REQUIRE(fd_ >= 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        REQUIRE(path.size() < sizeof addr.sun_path);
        std::strcpy(addr.sun_path, path.c_str());
        REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    }
    ~HostNotifySocket() {
        ::close(fd_);
        ::unlink(path_.c_str());
    }
    const std::string& path() const { return path_; }
    // The next message already there, or "" when none is.
    std::string take() {
        char buf[4096];
        ssize_t n = ::recv(fd_, buf, sizeof buf, MSG_DONTWAIT);
        return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
    }

  private:
    std::string path_;
    int fd_ = -1;
};

void add_notify_send(hull::test::BusyboxBundle& bundle) {
    std::filesystem::copy_file(HULL_TEST_NOTIFY_SEND, bundle.rootfs() + "/bin/notify_send");
}

}  // namespace

TEST_CASE(
    "NOTIFY_SOCKET: start returns once the container's READY=1 is relayed, with init's "
    "host pid as MAINPID") {
    HullEnv env;
    HostNotifySocket host(env.dir() / "notify.sock");
    auto bundle =
        env.bundle("b", {"sh", "-c",
                         "echo \"$NOTIFY_SOCKET\" > /tmp/env; sleep 1; notify_send STATUS=warming; "
                         "notify_send \"READY=1\nMAINPID=1\"; sleep 300"});
    bundle.set("/mounts/-", R"({"destination":"/tmp","type":"tmpfs","source":"tmpfs"})");
    add_notify_send(bundle);
    hull::test::CommandOptions with_socket;
    with_socket.env["NOTIFY_SOCKET"] = host.path();
    auto created = env.hull({"create", "--bundle", bundle.path(), "c1"}, with_socket);
    INFO("create: " << created.err);
    REQUIRE(created.status == 0);
    auto started = env.hull({"start", "c1"}, with_socket);
    INFO("start: " << started.err);
    REQUIRE(started.status == 0);
    // Both messages were relayed before start returned: they are already there.
    CHECK(host.take() == "STATUS=warming\n");
    CHECK(host.take() == "READY=1\nMAINPID=" + std::to_string(env.pid("c1")) + "\n");
    auto seen = env.hull({"exec", "c1", "cat", "/tmp/env"});
    CHECK(seen.out == "/run/notify/notify.sock\n");

    CHECK(env.hull({"delete", "--force", "c1"}).status == 0);
    CHECK(env.leaks() == "");
}

TEST_CASE(
    "NOTIFY_SOCKET: start of a container that exits without READY=1 returns, relaying "
    "nothing") {
    HullEnv env;
    HostNotifySocket host(env.dir() / "notify.sock");
    auto bundle = env.bundle("b", {"sh", "-c", "sleep 1"});
    hull::test::CommandOptions with_socket;
    with_socket.env["NOTIFY_SOCKET"] = host.path();
    auto r = env.hull({"run", "--bundle", bundle.path(), "c1"}, with_socket);
    INFO("run: " << r.err);
    CHECK(r.status == 0);
    CHECK(host.take() == "");
    CHECK(env.leaks() == "");
}

TEST_CASE(
    "socket activation: LISTEN_FDS fds reach the process as 3, 4, ahead of "
    "--preserve-fds, with its own LISTEN_PID") {
    HullEnv env;
    auto bundle = env.bundle(
        "b", {"sh", "-c",
              "echo \"$LISTEN_FDS $LISTEN_PID $LISTEN_FDNAMES\"; cat <&3; cat <&4; cat <&5"});
    std::ofstream(env.dir() / "fd-a") << "listen-a ";
    std::ofstream(env.dir() / "fd-b") << "listen-b ";
    std::ofstream(env.dir() / "fd-c") << "preserved";
    env.track("sa");
    // exec keeps the shell's pid: LISTEN_PID names hull, as systemd would set it.
    std::string script =
        "export LISTEN_PID=$$ LISTEN_FDS=2 LISTEN_FDNAMES=a:b; exec " + hull::test::hull_binary() +
        " --root " + env.root() + " run --preserve-fds 1 --bundle " + bundle.path() + " sa 3<" +
        (env.dir() / "fd-a") + " 4<" + (env.dir() / "fd-b") + " 5<" + (env.dir() / "fd-c");
    auto r = hull::test::run_command({"sh", "-c", script});
    INFO("stderr: " << r.err);
    CHECK(r.status == 0);
    // The process is pid 1 of its pid namespace: that is its LISTEN_PID.
    CHECK(r.out == "2 1 a:b\nlisten-a listen-b preserved");

    // LISTEN_PID of another process: the variables are not hull's, nothing is passed.
    std::string other = "export LISTEN_PID=1 LISTEN_FDS=2; exec " + hull::test::hull_binary() +
                        " --root " + env.root() + " run --bundle " + bundle.path() + " sa 3<" +
                        (env.dir() / "fd-a");
    auto not_ours = hull::test::run_command({"sh", "-c", other});
    CHECK_THAT(not_ours.out, Catch::StartsWith("  \n"));
    CHECK(env.leaks() == "");
}

TEST_CASE(
    "socket activation: systemd-socket-activate's listening socket reaches the "
    "container's process as fd 3") {
    // systemd's own tool for activating a program on a socket: it listens, and on the first
    // connection execs hull with LISTEN_FDS, LISTEN_PID and LISTEN_FDNAMES set, as a .socket
    // unit would.
    std::string activate = "/usr/bin/systemd-socket-activate";
    REQUIRE(::access(activate.c_str(), X_OK) == 0);
    HullEnv env;
    auto bundle = env.bundle(
        "b",
        {"sh", "-c", "echo \"$LISTEN_FDS $LISTEN_PID $LISTEN_FDNAMES\"; ls -l /proc/self/fd/3"});
    env.track("act");
    std::string socket_path = env.dir() / "activate.sock";
    hull::test::CommandResult r;
    std::thread server([&] {
        r = hull::test::run_command({activate, "--listen=" + socket_path, "--fdname=web",
                                     hull::test::hull_binary(), "--root", env.root(), "run",
                                     "--bundle", bundle.path(), "act"});
    });
    // The first connection starts it; held open until the container has looked at fd 3.
    int client = -1;
    for (int i = 0; i < 200 && client < 0; ++i) {
        int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::strcpy(addr.sun_path, socket_path.c_str());
        if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
            client = fd;
        } else {
            ::close(fd);
            ::usleep(50000);
        }
    }
    server.join();
    if (client >= 0) ::close(client);
    INFO("stderr: " << r.err);
    REQUIRE(client >= 0);
    CHECK(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains("1 1 web\n"));
    CHECK_THAT(r.out, Catch::Contains("/proc/self/fd/3 -> socket:["));
    CHECK(env.leaks() == "");
}
