// `hull console` (the real binary) against a ConsoleHub driven in a thread of this test, on a
// state dir holding the record of a "system container" whose init is this test process.
#include <fcntl.h>
#include <pty.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <future>
#include <thread>

#include "console_test_util.hpp"
#include "runtime/container_dir.hpp"
#include "runtime/container_record.hpp"
#include "runtime/process_identity.hpp"
#include "runtime/system/console_client.hpp"
#include "support/command.hpp"
#include "support/temp_dir.hpp"

using namespace std::chrono_literals;
using hull::unique_fd;
using hull::runtime::ContainerRecord;
using hull::system_container::ConsoleHub;
using hull::system_container::parse_detach_keys;
using namespace hull::test::console;

namespace {

void save_fake_record(const std::string& root, const std::string& id, bool system_container,
                      pid_t pid) {
    auto dir = hull::runtime::ContainerDir::create(root, id);
    ContainerRecord r;
    r.oci_version = "1.3.0";
    r.id = id;
    r.status = hull::runtime::Status::running;
    r.pid = pid;
    auto stat = hull::runtime::read_process_stat(pid);
    r.start_time = stat ? stat->start_time : 1;
    r.bundle = "/nonexistent";
    if (system_container) r.system.emplace();
    hull::runtime::save_record(dir, r);
}

// A running system container as `hull console` sees it: a record naming this process, and a
// hub on a real pty serving console.sock from another thread. The "container" answers
// "ping" with "pong".
class FakeConsole {
  public:
    explicit FakeConsole(const std::string& boot_output) {
        save_fake_record(root(), "c1", true, ::getpid());
        pty_ = open_test_pty();
        stop_.reset(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
        std::promise<void> ready;
        auto ready_future = ready.get_future();
        hull::test::console::TestPty& pty = pty_;
        ::write(pty.slave.get(), boot_output.data(), boot_output.size());
        thread_ = std::thread([this, &pty, ready = std::move(ready)]() mutable {
            unique_fd dir(::open((root() + "/c1").c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
            auto hub = std::make_unique<ConsoleHub>(dir.get(), 128 * 1024);
            hub->set_master(std::move(pty.master));
            hub->drain();  // the boot output is in the ring before anyone attaches
            ready.set_value();
            int fl = ::fcntl(pty.slave.get(), F_GETFL);
            ::fcntl(pty.slave.get(), F_SETFL, fl | O_NONBLOCK);
            bool answered = false;
            for (;;) {
                std::vector<pollfd> fds{{stop_.get(), POLLIN, 0}, {pty.slave.get(), POLLIN, 0}};
                hub->collect(fds);
                ::poll(fds.data(), fds.size(), 20);
                hub->dispatch(fds, 2);
                if (hub->timeout_ms() == 0) hub->on_timeout();
                typed_ += read_available(pty.slave.get());
                if (!answered && typed_.find("ping") != std::string::npos) {
                    answered = true;
                    ::write(pty.slave.get(), "pong\n", 5);
                }
                if (fds[0].revents) break;
            }
            // Whatever the client sent before it went is processed, then the console closes.
            pump(*hub, 200ms);
            hub->drain();
            typed_ += read_available(pty.slave.get());
            hub.reset();
        });
        ready_future.wait();
    }
    ~FakeConsole() { stop(); }

    std::string root() const { return tmp_ / "root"; }
    // The container's side of its console (for ioctls only: the hub thread reads it).
    int container_tty() const { return pty_.slave.get(); }

    // Stops the console (clients see it close) and returns what was typed into it.
    std::string stop() {
        if (thread_.joinable()) {
            std::uint64_t one = 1;
            ::write(stop_.get(), &one, sizeof one);
            thread_.join();
        }
        return typed_;
    }
    void stop_after(std::chrono::milliseconds delay) {
        stopper_ = std::thread([this, delay] {
            std::this_thread::sleep_for(delay);
            std::uint64_t one = 1;
            ::write(stop_.get(), &one, sizeof one);
        });
    }
    void join_stopper() {
        if (stopper_.joinable()) stopper_.join();
    }

  private:
    hull::test::TempDir tmp_;
    TestPty pty_;
    unique_fd stop_;
    std::thread thread_;
    std::thread stopper_;
    std::string typed_;
};

hull::test::CommandResult hull_console(const std::string& root,
                                       const std::vector<std::string>& args,
                                       const std::string& input) {
    std::vector<std::string> argv{hull::test::hull_binary(), "--root", root, "console"};
    argv.insert(argv.end(), args.begin(), args.end());
    hull::test::CommandOptions opts;
    opts.input = input;
    opts.timeout_seconds = 30;
    return hull::test::run_command(argv, opts);
}

}  // namespace

TEST_CASE("detach keys: Ctrl-right-bracket by default, docker's ctrl-<x> form") {
    CHECK(parse_detach_keys("") == "\x1d");
    CHECK(parse_detach_keys("ctrl-p,ctrl-q") == "\x10\x11");
    CHECK(parse_detach_keys("ctrl-]") == "\x1d");
    CHECK(parse_detach_keys("ctrl-@,ctrl-_,ctrl-A") == std::string("\0\x1f\x01", 3));
    CHECK(parse_detach_keys("ctrl-a,x") == "\x01x");
    CHECK_THROWS_WITH(parse_detach_keys("ctrl-1"), Catch::Contains("invalid detach key"));
    CHECK_THROWS_WITH(parse_detach_keys("alt-x"), Catch::Contains("invalid detach key"));
    CHECK_THROWS_WITH(parse_detach_keys("ctrl-p,"), Catch::Contains("invalid detach key"));
}

TEST_CASE("hull console shows the recent output, relays input, and outlives stdin's EOF") {
    FakeConsole console(numbered_lines("boot message ", 1, 200));
    console.stop_after(1500ms);  // the console closes: the client must exit by itself
    auto r = hull_console(console.root(), {"c1"}, "ping\n");
    console.join_stopper();
    std::string typed = console.stop();
    CHECK(r.status == 0);
    // Pipes have no window size: 3 screens of 24 rows.
    CHECK(r.out == numbered_lines("boot message ", 200 - 71, 200) + "pong\n");
    CHECK(typed == "ping\n");
    CHECK_THAT(r.err, Catch::Contains("[console of c1 closed"));
}

TEST_CASE("hull console detaches on Ctrl-right-bracket or on the --detach-keys sequence") {
    FakeConsole console("login: ");
    auto r = hull_console(console.root(), {"c1"},
                          "root\n\x1d"
                          "after");
    CHECK(r.status == 0);
    CHECK(r.err == "\r\n[detached from c1]\r\n");

    // A partial sequence is passed on as typed; the whole one detaches.
    auto custom = hull_console(console.root(), {"--detach-keys", "ctrl-p,ctrl-q", "c1"},
                               "a\x10"
                               "b\x1d\x10\x11"
                               "c");
    CHECK(custom.status == 0);
    CHECK(custom.err == "\r\n[detached from c1]\r\n");
    std::string typed = console.stop();
    CHECK(typed ==
          "root\na\x10"
          "b\x1d");
}

TEST_CASE("hull console refuses containers without a console") {
    hull::test::TempDir tmp;
    std::string root = tmp / "root";
    save_fake_record(root, "app", false, ::getpid());
    auto app = hull_console(root, {"app"}, "");
    CHECK(app.status == 1);
    CHECK_THAT(app.err, Catch::Contains("container app is not a system container: `hull console` "
                                        "needs one created with --system-container"));

    save_fake_record(root, "nosock", true, ::getpid());
    auto nosock = hull_console(root, {"nosock"}, "");
    CHECK(nosock.status == 1);
    CHECK_THAT(nosock.err, Catch::Contains("container nosock has no console"));

    pid_t child = ::fork();
    if (child == 0) ::_exit(0);
    ::waitpid(child, nullptr, 0);
    save_fake_record(root, "stopped", true, child);
    auto stopped = hull_console(root, {"stopped"}, "");
    CHECK(stopped.status == 1);
    CHECK_THAT(stopped.err, Catch::Contains("container stopped has no console"));

    auto missing = hull_console(root, {"missing"}, "");
    CHECK(missing.status == 1);
    CHECK_THAT(missing.err, Catch::Contains("container does not exist: missing"));

    auto bad_keys = hull_console(root, {"--detach-keys", "meta-x", "nosock"}, "");
    CHECK(bad_keys.status == 1);
    CHECK_THAT(bad_keys.err, Catch::Contains("invalid detach key"));
}

TEST_CASE("hull console on a terminal: raw while attached, restored after, window size passed") {
    FakeConsole console("login: ");
    int term_master = -1, term_slave = -1;
    winsize size{};
    size.ws_row = 50;
    size.ws_col = 132;
    REQUIRE(::openpty(&term_master, &term_slave, nullptr, nullptr, &size) == 0);
    unique_fd master(term_master), slave(term_slave);
    std::string hull = hull::test::hull_binary(), root = console.root();
    pid_t child = ::fork();
    if (child == 0) {
        ::setsid();
        ::ioctl(slave.get(), TIOCSCTTY, 0);
        for (int fd = 0; fd < 3; ++fd)
            ::dup2(slave.get(), fd);
        ::execl(hull.c_str(), hull.c_str(), "--root", root.c_str(), "console", "c1", nullptr);
        ::_exit(127);
    }
    std::string screen;
    auto read_until = [&](const std::string& what) {
        auto deadline = std::chrono::steady_clock::now() + 10s;
        while (screen.find(what) == std::string::npos &&
               std::chrono::steady_clock::now() < deadline) {
            pollfd p{master.get(), POLLIN, 0};
            if (::poll(&p, 1, 100) > 0) {
                char buf[4096];
                ssize_t n = ::read(master.get(), buf, sizeof buf);
                if (n > 0) screen.append(buf, static_cast<size_t>(n));
            }
        }
        return screen.find(what) != std::string::npos;
    };
    CHECK(read_until("login: "));
    termios attached{};
    REQUIRE(::tcgetattr(slave.get(), &attached) == 0);
    CHECK_FALSE(attached.c_lflag & (ICANON | ECHO));
    winsize ws{};
    for (int i = 0; i < 100 && ws.ws_row != 50; ++i) {
        ::ioctl(console.container_tty(), TIOCGWINSZ, &ws);
        std::this_thread::sleep_for(10ms);
    }
    CHECK(ws.ws_row == 50);
    CHECK(ws.ws_col == 132);

    // A resize of the user's terminal reaches the console (SIGWINCH -> 'w').
    size.ws_row = 40;
    size.ws_col = 100;
    ::ioctl(master.get(), TIOCSWINSZ, &size);
    ::kill(child, SIGWINCH);
    for (int i = 0; i < 100 && ws.ws_row != 40; ++i) {
        ::ioctl(console.container_tty(), TIOCGWINSZ, &ws);
        std::this_thread::sleep_for(10ms);
    }
    CHECK(ws.ws_row == 40);
    CHECK(ws.ws_col == 100);

    ::write(master.get(), "\x1d", 1);
    CHECK(read_until("[detached from c1]"));
    int status = 0;
    ::waitpid(child, &status, 0);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    termios after{};
    REQUIRE(::tcgetattr(slave.get(), &after) == 0);
    CHECK((after.c_lflag & (ICANON | ECHO)) == (ICANON | ECHO));
}
