// --system-container end to end: real busybox and Debian systems booted, attached to, halted
// and rebooted, with the host checked for leftovers after each.
#include <signal.h>
#include <unistd.h>

#include <rapidjson/document.h>
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "attached_console.hpp"
#include "base/file.hpp"
#include "support/command.hpp"
#include "support/hull_env.hpp"
#include "support/system_bundle.hpp"

using namespace hull::test;

namespace {

using Clock = std::chrono::steady_clock;

// The supervisor's part of the record (<root>/<id>/state.json, "hull" -> "system").
struct SystemRecord {
    int monitor_pid = 0;
    int halt_signal = 0;
    int boots = 0;
    std::string uuid;
};

SystemRecord system_record(HullEnv& env, const std::string& id) {
    SystemRecord r;
    rapidjson::Document doc;
    std::string text = read_text(env.root() + "/" + id + "/state.json");
    doc.Parse(text.c_str());
    if (doc.HasParseError() || !doc.HasMember("hull") || !doc["hull"].HasMember("system")) return r;
    const auto& s = doc["hull"]["system"];
    r.monitor_pid = s["monitorPid"].GetInt();
    r.halt_signal = s["haltSignal"].GetInt();
    r.boots = s["boots"].GetInt();
    r.uuid = s["uuid"].GetString();
    return r;
}

std::string console_log(HullEnv& env, const std::string& id) {
    return read_text(env.root() + "/" + id + "/console.log");
}

// Polls until pred() holds; false after `seconds`.
template <typename Pred>
bool eventually(Pred pred, int seconds = 30) {
    auto deadline = Clock::now() + std::chrono::seconds(seconds);
    while (Clock::now() < deadline) {
        if (pred()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return pred();
}

bool process_exists(int pid) {
    return pid > 0 && ::kill(pid, 0) == 0 &&
           read_text("/proc/" + std::to_string(pid) + "/stat").find(") Z ") == std::string::npos;
}

std::string ppid_of(int pid) {
    std::string status = read_text("/proc/" + std::to_string(pid) + "/status");
    auto at = status.find("PPid:\t");
    return at == std::string::npos ? "" : status.substr(at + 6, status.find('\n', at) - at - 6);
}

std::vector<std::string> console_argv(HullEnv& env, const std::string& id) {
    return {hull_binary(), "--root", env.root(), "console", id};
}

// systemctl needs systemd's private socket, which exists a few ms into the boot; --wait then
// blocks until the boot has finished one way or the other.
CommandResult wait_system_running(HullEnv& env, const std::string& id) {
    eventually([&] {
        return env.hull({"exec", id, "test", "-S", "/run/systemd/private"}).status == 0;
    });
    return env.hull({"exec", id, "systemctl", "is-system-running", "--wait"});
}

}  // namespace

TEST_CASE("busybox system container: boots under a supervisor, console, halt, nothing left") {
    HullEnv env;
    std::string bundle = make_busybox_system_bundle(env.dir().path());
    // The bundle carries the annotation: no flag needed.
    auto created =
        env.hull({"--debug", "--log", env.dir() / "hull.log", "create", "--bundle", bundle, "bb1"});
    REQUIRE(created.status == 0);
    CHECK(created.err == "");
    SystemRecord rec = system_record(env, "bb1");
    REQUIRE(rec.monitor_pid > 0);
    CHECK(rec.halt_signal == SIGUSR2);
    CHECK(rec.boots == 1);
    // The supervisor names the container in ps, and init is its child.
    std::string cmdline = read_text("/proc/" + std::to_string(rec.monitor_pid) + "/cmdline");
    CHECK(cmdline.rfind("[hull monitor] " + env.root() + " bb1", 0) == 0);
    CHECK(ppid_of(env.pid("bb1")) == std::to_string(rec.monitor_pid));
    // Every adjustment is in the debug log.
    std::string log = read_text(env.dir() / "hull.log");
    CHECK(log.find("booting /sbin/init") != std::string::npos);
    CHECK(log.find("container=hull") != std::string::npos);
    CHECK(log.find("mounting tmpfs on /run ") != std::string::npos);

    REQUIRE(env.hull({"start", "bb1"}).status == 0);
    CHECK(env.status("bb1") == "running");
    REQUIRE(eventually([&] {
        return console_log(env, "bb1").find("hull busybox system: booting") != std::string::npos;
    }));

    // What init got: its environment, /run, /run/lock, /tmp, a pty console, its own cgroups.
    std::string environ = read_text("/proc/" + std::to_string(env.pid("bb1")) + "/environ");
    CHECK(environ.find(std::string("container=hull\0", 15)) != std::string::npos);
    CHECK(environ.find("container_uuid=" + rec.uuid) != std::string::npos);
    auto mounts = env.hull({"exec", "bb1", "cat", "/proc/mounts"});
    for (const char* m : {"tmpfs /run ", "tmpfs /run/lock ", "tmpfs /tmp "})
        CHECK(mounts.out.find(m) != std::string::npos);
    auto console = env.hull({"exec", "bb1", "stat", "-c", "%t", "/dev/console"});
    CHECK(console.out == "88\n");  // major 136: a pty slave
    auto cgroup = env.hull({"exec", "bb1", "sh", "-c",
                            "mkdir /sys/fs/cgroup/systemd/probe && rmdir "
                            "/sys/fs/cgroup/systemd/probe && cat /proc/self/cgroup"});
    CHECK(cgroup.status == 0);
    CHECK(cgroup.out.find("name=systemd:/\n") != std::string::npos);

    // A late attacher sees the boot, then talks to the shell on the console.
    {
        AttachedConsole attached(console_argv(env, "bb1"));
        CHECK(attached.read_until("hull busybox system: booting", 10));
        attached.type("echo hull-$((6*7))\n");
        CHECK(attached.read_until("hull-42", 10));
        attached.type("\x1d");
        CHECK(attached.wait(10) == 0);
        CHECK(attached.err().find("[detached from bb1]") != std::string::npos);
    }
    CHECK(env.status("bb1") == "running");

    // `kill` without a signal halts: init runs its shutdown action and exits, the supervisor
    // leaves console.log behind for delete.
    int init = env.pid("bb1");
    REQUIRE(env.hull({"kill", "bb1"}).status == 0);
    CHECK(env.wait_status("bb1", "stopped"));
    CHECK(eventually([&] { return !process_exists(rec.monitor_pid); }, 10));
    CHECK_FALSE(process_exists(init));
    CHECK(console_log(env, "bb1").find("hull busybox system: halting") != std::string::npos);
    REQUIRE(env.hull({"delete", "bb1"}).status == 0);
    CHECK(env.leaks() == "");
}

TEST_CASE("busybox system container: reboot from inside comes back with the same id") {
    HullEnv env;
    std::string bundle = make_busybox_system_bundle(env.dir().path());
    REQUIRE(env.hull({"run", "-d", "--system-container", "--bundle", bundle, "bb2"}).status == 0);
    REQUIRE(eventually([&] {
        return console_log(env, "bb2").find("hull busybox system: booting") != std::string::npos;
    }));
    int first = env.pid("bb2");
    SystemRecord before = system_record(env, "bb2");
    env.hull({"exec", "bb2", "reboot"});
    REQUIRE(eventually([&] { return env.pid("bb2") != first && env.status("bb2") == "running"; }));
    SystemRecord after = system_record(env, "bb2");
    CHECK(after.boots == 2);
    CHECK(after.monitor_pid == before.monitor_pid);
    CHECK(after.uuid == before.uuid);
    CHECK_FALSE(process_exists(first));
    // The new boot is a whole one: the shell answers on the console again.
    REQUIRE(eventually([&] {
        auto r = env.hull({"exec", "bb2", "true"});
        return r.status == 0;
    }));
    // delete --force halts it gracefully and takes the supervisor with it.
    REQUIRE(env.hull({"delete", "--force", "bb2"}).status == 0);
    CHECK_FALSE(process_exists(after.monitor_pid));
    CHECK(env.leaks() == "");
}

TEST_CASE("a reboot beyond --reboot-limit stops the container") {
    HullEnv env;
    std::string bundle = make_busybox_system_bundle(env.dir().path());
    REQUIRE(env.hull({"run", "-d", "--reboot-limit", "0", "--bundle", bundle, "bb3"}).status == 0);
    REQUIRE(eventually([&] {
        return console_log(env, "bb3").find("hull busybox system: booting") != std::string::npos;
    }));
    env.hull({"exec", "bb3", "reboot"});
    CHECK(env.wait_status("bb3", "stopped"));
    REQUIRE(env.hull({"delete", "bb3"}).status == 0);
    CHECK(env.leaks() == "");
}

TEST_CASE("an init that ignores its halt signal is killed after --timeout") {
    HullEnv env;
    // A rootfs whose only init is /bin/init, a script that ignores SIGPWR (the halt signal
    // of an init hull does not recognise).
    BusyboxBundle bundle = env.bundle("stubborn", {});
    bundle.erase("/process/args");
    ::unlink((bundle.rootfs() + "/sbin/init").c_str());
    hull::write_file(bundle.rootfs() + "/bin/init",
                     "#!/bin/sh\ntrap '' PWR\nwhile :; do sleep 1; done\n", 0755);
    REQUIRE(
        env.hull({"run", "-d", "--system-container", "--bundle", bundle.path(), "st1"}).status ==
        0);
    CHECK(system_record(env, "st1").halt_signal == SIGPWR);
    auto t0 = Clock::now();
    auto deleted = env.hull({"delete", "--force", "--timeout", "1", "st1"});
    auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
    CHECK(deleted.status == 0);
    CHECK(deleted.err.find("did not halt within 1 s") != std::string::npos);
    INFO("delete took " << took << " ms");
    CHECK(env.leaks() == "");
}

TEST_CASE("no init in the rootfs: a clear error naming the paths tried, nothing left") {
    HullEnv env;
    BusyboxBundle bundle = env.bundle("noinit", {});
    bundle.erase("/process/args");
    for (const char* p : {"/sbin/init", "/etc/init", "/bin/init"})
        ::unlink((bundle.rootfs() + p).c_str());
    auto r = env.hull({"create", "--system-container", "--bundle", bundle.path(), "ni1"});
    CHECK(r.status != 0);
    CHECK(r.err.find("/sbin/init, /etc/init, /bin/init") != std::string::npos);
    CHECK(env.hull({"list", "-q"}).out == "");
    // Without the mode, empty args stay an error.
    auto plain = env.hull({"create", "--bundle", bundle.path(), "ni2"});
    CHECK(plain.status != 0);
    CHECK(plain.err.find("/process/args") != std::string::npos);
    CHECK(env.leaks() == "");
}

TEST_CASE("debian system container: systemd reaches running, halts, reboots") {
    std::string why = debian_bundle_unavailable();
    if (!why.empty()) {
        WARN("SKIPPED: " << why);
        return;
    }
    HullEnv env;
    std::string bundle = make_debian_bundle(env.dir().path());
    auto t0 = Clock::now();
    REQUIRE(env.hull({"run", "-d", "--bundle", bundle, "deb1"}).status == 0);
    auto running = wait_system_running(env, "deb1");
    auto boot_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
    if (running.out != "running\n") {
        auto failed = env.hull({"exec", "deb1", "systemctl", "--failed", "--no-pager"});
        INFO("failed units:\n" << failed.out);
        CHECK(running.out == "running\n");
    }
    WARN("debian boot to running under hull: " << boot_ms << " ms");
    SystemRecord rec = system_record(env, "deb1");
    CHECK(rec.halt_signal == SIGRTMIN + 3);
    // The boot messages are there for a late attacher.
    {
        AttachedConsole attached(console_argv(env, "deb1"));
        CHECK(attached.read_until("Reached target", 10));
        attached.type("\x1d");
        CHECK(attached.wait(10) == 0);
    }
    CHECK(console_log(env, "deb1").find("Welcome to") != std::string::npos);

    // reboot from inside: a new init, the same id, systemd running again.
    int first = env.pid("deb1");
    env.hull({"exec", "deb1", "systemctl", "reboot"});
    REQUIRE(eventually([&] { return env.pid("deb1") != first && env.status("deb1") == "running"; },
                       60));
    auto again = wait_system_running(env, "deb1");
    CHECK(again.out == "running\n");
    CHECK(system_record(env, "deb1").boots == 2);

    // halt from outside: systemd shuts down cleanly and nothing of it is left.
    int init = env.pid("deb1");
    auto h0 = Clock::now();
    REQUIRE(env.hull({"kill", "deb1"}).status == 0);
    CHECK(env.wait_status("deb1", "stopped"));
    auto halt_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - h0).count();
    WARN("debian halt under hull: " << halt_ms << " ms");
    CHECK_FALSE(process_exists(init));
    CHECK(eventually([&] { return !process_exists(rec.monitor_pid); }, 10));
    REQUIRE(env.hull({"delete", "deb1"}).status == 0);
    CHECK(env.leaks() == "");
}
