// ConsoleHub against real ptys and real unix sockets: console.log, the late attacher's
// backlog, input, slow clients, hang-ups and reboots.
#include "runtime/system/console_hub.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

#include "console_test_util.hpp"
#include "support/command.hpp"
#include "support/temp_dir.hpp"

using namespace std::chrono_literals;
using hull::unique_fd;
using hull::system_container::ConsoleHub;
using hull::system_container::kDefaultConsoleBuffer;
using namespace hull::test::console;

namespace {

unique_fd open_dir(const std::string& path) {
    unique_fd fd(::open(path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    REQUIRE(fd);
    return fd;
}

// A hub in a fresh state dir, serving a fresh pty whose raw slave plays the container.
struct LiveHub {
    hull::test::TempDir tmp;
    unique_fd dir = open_dir(tmp.path());
    TestPty pty = open_test_pty();
    ConsoleHub hub{dir.get(), kDefaultConsoleBuffer};
    LiveHub() { hub.set_master(std::move(pty.master)); }
};

}  // namespace

TEST_CASE("console hub makes console.sock (0600) and console.log, and removes the socket") {
    hull::test::TempDir tmp;
    unique_fd dir = open_dir(tmp.path());
    {
        ConsoleHub hub(dir.get(), kDefaultConsoleBuffer);
        struct stat st {};
        REQUIRE(::stat((tmp / "console.sock").c_str(), &st) == 0);
        CHECK(S_ISSOCK(st.st_mode));
        CHECK((st.st_mode & 07777) == 0600);
        REQUIRE(::stat((tmp / "console.log").c_str(), &st) == 0);
        CHECK(S_ISREG(st.st_mode));
        CHECK((st.st_mode & 077) == 0);
        CHECK(hub.timeout_ms() == -1);  // nothing to do: the loop may sleep
    }
    CHECK(::access((tmp / "console.sock").c_str(), F_OK) != 0);
    CHECK(::access((tmp / "console.log").c_str(), F_OK) == 0);
}

TEST_CASE("console hub refuses a console.log symlink") {
    hull::test::TempDir tmp;
    REQUIRE(::symlink((tmp / "elsewhere").c_str(), (tmp / "console.log").c_str()) == 0);
    unique_fd dir = open_dir(tmp.path());
    CHECK_THROWS_WITH(ConsoleHub(dir.get(), 1024), Catch::Contains("console.log"));
    CHECK(::access((tmp / "elsewhere").c_str(), F_OK) != 0);
}

TEST_CASE("console output lands in console.log, flushed once the console is quiet") {
    hull::test::TempDir tmp;
    unique_fd dir = open_dir(tmp.path());
    auto pty = open_test_pty();
    auto hub = std::make_unique<ConsoleHub>(dir.get(), kDefaultConsoleBuffer);
    hub->set_master(std::move(pty.master));
    write_all(pty.slave.get(), "Welcome to Debian\nlogin: ");
    std::string log = tmp / "console.log";
    pump(*hub, 3s, [&] { return hull::test::read_text(log) == "Welcome to Debian\nlogin: "; });
    CHECK(hull::test::read_text(log) == "Welcome to Debian\nlogin: ");
    CHECK(hub->timeout_ms() == -1);

    // console.log is the ring, not a growing log: a small ring keeps only the tail.
    hub = std::make_unique<ConsoleHub>(dir.get(), 8);
    auto pty2 = open_test_pty();
    hub->set_master(std::move(pty2.master));
    write_all(pty2.slave.get(), "0123456789abcdef");
    pump(*hub, 1s, [&] { return hub->ring().size() == 8; });
    hub->flush_log();
    CHECK(hull::test::read_text(log) == "89abcdef");
    hub.reset();  // the destructor writes it too
    CHECK(hull::test::read_text(log) == "89abcdef");
}

TEST_CASE_METHOD(LiveHub, "console.log is rewritten about once a second under continuous output") {
    std::string log = tmp / "console.log";
    std::atomic<bool> stop{false};
    std::thread writer([&] {
        for (int i = 0; !stop; ++i) {
            write_all(pty.slave.get(), "tick " + std::to_string(i) + "\n");
            std::this_thread::sleep_for(10ms);  // never quiet for 50 ms
        }
    });
    pump(hub, 3s, [&] { return !hull::test::read_text(log).empty(); });
    stop = true;
    writer.join();
    CHECK_FALSE(hull::test::read_text(log).empty());
}

TEST_CASE_METHOD(LiveHub,
                 "a late attacher gets the recent screens, not the whole ring nor nothing") {
    std::string all = numbered_lines("boot message ", 1, 12000);  // ~250 KiB
    REQUIRE(all.size() > 200 * 1024);
    std::atomic<bool> written{false};
    std::thread writer([&] {
        write_all(pty.slave.get(), all);
        written = true;
    });
    pump(hub, 30s,
         [&] { return written && ends_with(hub.ring().contents(), all.substr(all.size() - 100)); });
    writer.join();
    REQUIRE(hub.ring().contents() == all.substr(all.size() - kDefaultConsoleBuffer));

    unique_fd client = connect_client(dir.get());
    send_window(client.get(), 10, 80);
    std::string backlog;
    pump(hub, 2s, [&] {
        backlog += receive(client.get());
        return ends_with(backlog, "\n");
    });
    CHECK(backlog == numbered_lines("boot message ", 12000 - 29, 12000));  // 3 screens of 10 rows
    winsize ws{};
    REQUIRE(::ioctl(pty.slave.get(), TIOCGWINSZ, &ws) == 0);
    CHECK(ws.ws_row == 10);
    CHECK(ws.ws_col == 80);

    // Then live output, one message per read.
    write_all(pty.slave.get(), "live\n");
    std::string live;
    pump(hub, 2s, [&] {
        live += receive(client.get());
        return live == "live\n";
    });
    CHECK(live == "live\n");

    // A tall window asks for more than the 32 KiB cap: the cap wins, from a line start.
    unique_fd tall = connect_client(dir.get());
    send_window(tall.get(), 5000, 80);
    std::string big;
    pump(hub, 2s, [&] {
        big += receive(tall.get());
        return ends_with(big, "live\n");
    });
    CHECK(big.size() <= 32 * 1024);
    CHECK(big.size() > 30 * 1024);
    CHECK(big.rfind("boot message ", 0) == 0);
}

TEST_CASE_METHOD(LiveHub,
                 "client input reaches the console and every attached client sees the output") {
    unique_fd a = connect_client(dir.get());
    unique_fd b = connect_client(dir.get());
    send_window(a.get(), 0, 0);  // size unknown (a pipe): attaches all the same
    send_window(b.get(), 30, 100);
    send_data(a.get(), "root\n");
    std::string typed;
    pump(hub, 2s, [&] {
        typed += read_available(pty.slave.get());
        return typed == "root\n";
    });
    CHECK(typed == "root\n");
    CHECK(hub.client_count() == 2);

    write_all(pty.slave.get(), "Password: ");
    std::string seen_a, seen_b;
    pump(hub, 2s, [&] {
        seen_a += receive(a.get());
        seen_b += receive(b.get());
        return seen_a == "Password: " && seen_b == "Password: ";
    });
    CHECK(seen_a == "Password: ");
    CHECK(seen_b == "Password: ");

    // A detached client is forgotten; the others stay.
    a.reset();
    pump(hub, 1s, [&] { return hub.client_count() == 1; });
    CHECK(hub.client_count() == 1);
}

TEST_CASE_METHOD(LiveHub,
                 "input for a console nobody reads is buffered a little, never blocking the hub") {
    unique_fd client = connect_client(dir.get());
    send_window(client.get(), 24, 80);
    std::string chunk(8000, 'k');
    std::atomic<int> sent{0};
    std::thread typist([&] {
        for (int i = 0; i < 100; ++i) {
            send_data(client.get(), chunk);
            ++sent;
        }
    });
    // 800 KB of input, far more than a pty takes: the hub must keep going.
    int ready = pump(hub, 10s, [&] { return sent == 100; });
    typist.join();
    CHECK(sent == 100);
    CHECK(ready > 0);
    CHECK_FALSE(read_available(pty.slave.get()).empty());
}

TEST_CASE_METHOD(LiveHub, "a client that never reads is dropped and the console keeps flowing") {
    unique_fd stuck = connect_client(dir.get());
    send_window(stuck.get(), 24, 80);
    pump(hub, 1s, [&] { return hub.client_count() == 1; });
    REQUIRE(hub.client_count() == 1);

    std::string block(64 * 1024, 'x');
    const int blocks = 160;  // 10 MiB
    std::atomic<bool> done{false};
    std::thread writer([&] {
        for (int i = 0; i < blocks; ++i)
            write_all(pty.slave.get(), block);
        write_all(pty.slave.get(), "END\n");
        done = true;
    });
    pump(hub, 60s, [&] { return done && ends_with(hub.ring().contents(), "END\n"); });
    bool finished = done;
    if (!finished) pty.slave.reset();  // unblock the writer so the test can end
    writer.join();
    REQUIRE(finished);
    CHECK(ends_with(hub.ring().contents(), "xxxxEND\n"));
    CHECK(hub.client_count() == 0);
    bool eof = false;
    std::string got = receive(stuck.get(), &eof);
    CHECK(eof);
    CHECK(got.size() < 10u * 1024 * 1024);
}

TEST_CASE_METHOD(LiveHub, "no busy loop while nobody in the container has the console open") {
    std::string slave_name = pty.slave_name;
    pty.slave.reset();  // the container's last opener of the console is gone
    CHECK(pump(hub, 200ms) < 10);

    if (::geteuid() == 0) {
        // A getty's vhangup() hangs up every open file of the tty, the hub's slave included.
        pid_t child = ::fork();
        if (child == 0) {
            ::signal(SIGHUP, SIG_IGN);  // vhangup() sends it to the tty's session
            if (::setsid() < 0) ::_exit(1);
            int fd = ::open(slave_name.c_str(), O_RDWR);  // becomes the controlling tty
            if (fd < 0) ::_exit(2);
            ::_exit(::vhangup() == 0 ? 0 : 3);
        }
        int status = 0;
        ::waitpid(child, &status, 0);
        CHECK(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 0);
        CHECK(pump(hub, 200ms) < 20);
    }

    // The next getty opens the console again: its output still arrives (as "\r\n" when a
    // hang-up reset the termios).
    unique_fd again(::open(slave_name.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC));
    REQUIRE(again);
    write_all(again.get(), "getty again\n");
    auto arrived = [&] { return hub.ring().contents().find("getty again") != std::string::npos; };
    pump(hub, 2s, arrived);
    CHECK(arrived());
}

TEST_CASE("a reboot's new pty replaces the old one, whose output is drained first") {
    hull::test::TempDir tmp;
    unique_fd dir = open_dir(tmp.path());
    auto first = open_test_pty();
    ConsoleHub hub(dir.get(), kDefaultConsoleBuffer);
    hub.set_master(std::move(first.master));
    unique_fd client = connect_client(dir.get());
    send_window(client.get(), 40, 120);
    pump(hub, 1s, [&] {
        winsize ws{};
        return ::ioctl(first.slave.get(), TIOCGWINSZ, &ws) == 0 && ws.ws_row == 40;
    });
    write_all(first.slave.get(), "reboot: Restarting system\n");
    auto second = open_test_pty();
    hub.set_master(std::move(second.master));  // no poll in between: drained here
    CHECK(hub.ring().contents() == "reboot: Restarting system\n");
    winsize ws{};
    REQUIRE(::ioctl(second.slave.get(), TIOCGWINSZ, &ws) == 0);
    CHECK(ws.ws_row == 40);  // the attached client's size carries over
    write_all(second.slave.get(), "Booting\n");
    std::string seen;
    pump(hub, 2s, [&] {
        seen += receive(client.get());
        return ends_with(seen, "Booting\n");
    });
    CHECK(seen == "reboot: Restarting system\nBooting\n");

    hub.set_master(unique_fd());  // no console at all: nothing to poll but the socket
    std::vector<pollfd> fds;
    hub.collect(fds);
    CHECK(fds.size() == 2);  // the listener and the client
}

TEST_CASE("console.sock works in a state dir whose path is longer than sun_path") {
    hull::test::TempDir tmp;
    std::string deep = tmp.path() + "/" + std::string(100, 'd');
    REQUIRE(::mkdir(deep.c_str(), 0700) == 0);
    deep += "/" + std::string(100, 'e');
    REQUIRE(::mkdir(deep.c_str(), 0700) == 0);
    unique_fd dir = open_dir(deep);
    auto pty = open_test_pty();
    ConsoleHub hub(dir.get(), kDefaultConsoleBuffer);
    hub.set_master(std::move(pty.master));
    write_all(pty.slave.get(), "deep\n");
    pump(hub, 1s, [&] { return hub.ring().size() == 5; });
    unique_fd client = connect_client(dir.get());
    send_window(client.get(), 24, 80);
    std::string got;
    pump(hub, 2s, [&] {
        got += receive(client.get());
        return got == "deep\n";
    });
    CHECK(got == "deep\n");
}
