// process.terminal: the pty master reaches --console-socket (containerd's and conmon's
// protocol) and is a working terminal for the container.
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <thread>

#include "support/hull_env.hpp"

using hull::test::HullEnv;

namespace {

// A listening unix socket that accepts one connection and receives one fd from it.
class ConsoleSocket {
  public:
    explicit ConsoleSocket(const std::string& path) : path_(path) {
        fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        struct sockaddr_un addr {};
        addr.sun_family = AF_UNIX;
        std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
        REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
        REQUIRE(::listen(fd_, 1) == 0);
    }
    ~ConsoleSocket() {
        ::close(fd_);
        if (master_ >= 0) ::close(master_);
        ::unlink(path_.c_str());
    }
    ConsoleSocket(const ConsoleSocket&) = delete;
    ConsoleSocket& operator=(const ConsoleSocket&) = delete;

    // Returns the received master fd (owned by this object), or -1.
    int receive(std::string& name) {
        struct pollfd p {
            fd_, POLLIN, 0
        };
        if (::poll(&p, 1, 20000) != 1) return -1;
        int conn = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
        char buf[256] = {};
        struct iovec iov {
            buf, sizeof buf - 1
        };
        alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(int))];
        struct msghdr msg {};
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control;
        msg.msg_controllen = sizeof control;
        ssize_t n = ::recvmsg(conn, &msg, MSG_CMSG_CLOEXEC);
        ::close(conn);
        if (n < 0) return -1;
        name.assign(buf, static_cast<size_t>(n));
        struct cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
        if (!cmsg || cmsg->cmsg_type != SCM_RIGHTS) return -1;
        std::memcpy(&master_, CMSG_DATA(cmsg), sizeof(int));
        return master_;
    }

  private:
    std::string path_;
    int fd_ = -1;
    int master_ = -1;
};

// Reads from the master until `want` shows up or 20 s pass.
std::string read_until(int master, const std::string& want) {
    std::string got;
    for (int i = 0; i < 200 && got.find(want) == std::string::npos; ++i) {
        struct pollfd p {
            master, POLLIN, 0
        };
        if (::poll(&p, 1, 100) != 1) continue;
        char buf[1024];
        ssize_t n = ::read(master, buf, sizeof buf);
        if (n <= 0) break;
        got.append(buf, static_cast<size_t>(n));
    }
    return got;
}

}  // namespace

TEST_CASE("create --console-socket sends a working pty master") {
    HullEnv env;
    auto bundle =
        env.bundle("b", {"sh", "-c", "tty; read line; echo got:$line; [ -t 0 ] && echo is-a-tty"});
    bundle.set("/process/terminal", "true");
    bundle.set("/process/consoleSize", R"({"height":40,"width":100})");
    std::string sock_path = env.dir() / "console.sock";
    ConsoleSocket sock(sock_path);
    hull::test::CommandResult created;
    std::thread creator([&] {
        created =
            env.hull({"create", "--bundle", bundle.path(), "--console-socket", sock_path, "t1"});
    });
    std::string name;
    int master = sock.receive(name);
    creator.join();
    REQUIRE(created.status == 0);
    REQUIRE(master >= 0);
    CHECK_THAT(name, Catch::StartsWith("/dev/pts/"));
    REQUIRE(env.hull({"start", "t1"}).status == 0);
    CHECK_THAT(read_until(master, "/dev/pts/"), Catch::Contains("/dev/pts/0"));
    REQUIRE(::write(master, "hello\n", 6) == 6);
    std::string out = read_until(master, "is-a-tty");
    CHECK_THAT(out, Catch::Contains("got:hello"));
    CHECK_THAT(out, Catch::Contains("is-a-tty"));
    CHECK(env.wait_status("t1", "stopped"));
    CHECK(env.hull({"delete", "t1"}).status == 0);
    CHECK(env.leaks() == "");
}

TEST_CASE("exec --tty --console-socket gives the process its own pty") {
    HullEnv env;
    auto bundle = env.bundle("b", {"sleep", "300"});
    REQUIRE(env.hull({"run", "-d", "--bundle", bundle.path(), "t2"}).status == 0);
    std::string sock_path = env.dir() / "exec.sock";
    ConsoleSocket sock(sock_path);
    hull::test::CommandResult exec;
    std::thread runner([&] {
        exec = env.hull({"exec", "--tty", "--detach", "--console-socket", sock_path, "t2", "sh",
                         "-c", "[ -t 1 ] && echo exec-tty; stty size"});
    });
    std::string name;
    int master = sock.receive(name);
    runner.join();
    REQUIRE(master >= 0);
    CHECK(exec.status == 0);
    std::string out = read_until(master, "exec-tty");
    CHECK_THAT(out, Catch::Contains("exec-tty"));
    CHECK(env.hull({"delete", "-f", "t2"}).status == 0);
    CHECK(env.leaks() == "");
}

TEST_CASE("a terminal with --detach but no console socket is refused") {
    HullEnv env;
    auto bundle = env.bundle("b", {"sh"});
    bundle.set("/process/terminal", "true");
    auto r = env.hull({"run", "-d", "--bundle", bundle.path(), "t3"});
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Catch::Contains("console socket"));
    CHECK(env.leaks() == "");
}

TEST_CASE("run in the foreground relays the terminal when there is no console socket") {
    HullEnv env;
    auto bundle = env.bundle("b", {"sh", "-c", "[ -t 1 ] && echo on-a-tty"});
    bundle.set("/process/terminal", "true");
    auto r = env.run(bundle, "t4");
    CHECK(r.status == 0);
    CHECK(r.out == "on-a-tty\r\n");
    CHECK(env.leaks() == "");
}

TEST_CASE("a non-root process owns its terminal, at create and at exec") {
    // As with runc: devpts makes the pty root's; the process's uid gets it, the tty group stays.
    HullEnv env;
    auto bundle = env.bundle("b", {"sh", "-c", "echo owner=$(stat -c %u $(tty)); sleep 300"});
    bundle.set("/process/terminal", "true");
    bundle.set("/process/user", R"({"uid":1000,"gid":1000})");
    std::string sock_path = env.dir() / "console.sock";
    ConsoleSocket sock(sock_path);
    hull::test::CommandResult created;
    std::thread creator([&] {
        created =
            env.hull({"create", "--bundle", bundle.path(), "--console-socket", sock_path, "t3"});
    });
    std::string name;
    int master = sock.receive(name);
    creator.join();
    REQUIRE(created.status == 0);
    REQUIRE(master >= 0);
    REQUIRE(env.hull({"start", "t3"}).status == 0);
    CHECK_THAT(read_until(master, "owner=1000"), Catch::Contains("owner=1000"));

    std::string exec_sock_path = env.dir() / "exec.sock";
    ConsoleSocket exec_sock(exec_sock_path);
    hull::test::CommandResult exec;
    std::thread runner([&] {
        exec = env.hull({"exec", "--tty", "--detach", "--user", "1001:1001", "--console-socket",
                         exec_sock_path, "t3", "sh", "-c", "echo owner=$(stat -c %u $(tty))"});
    });
    int exec_master = exec_sock.receive(name);
    runner.join();
    REQUIRE(exec_master >= 0);
    CHECK(exec.status == 0);
    CHECK_THAT(read_until(exec_master, "owner=1001"), Catch::Contains("owner=1001"));

    CHECK(env.hull({"delete", "-f", "t3"}).status == 0);
    CHECK(env.leaks() == "");
}
