// A container's cgroup through hull's commands, on this host's hybrid v1 layout.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <thread>

#include "support/hull_env.hpp"

using hull::test::HullEnv;

namespace {

std::string v1(const std::string& controller, const std::string& id, const std::string& file) {
    return hull::test::read_text("/sys/fs/cgroup/" + controller + "/hull/" + id + "/" + file);
}

void sleep_ms(int ms) {
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

}  // namespace

TEST_CASE("resources are written to the container's cgroup before it runs") {
    HullEnv env;
    auto bundle = env.bundle("b", {"sleep", "300"});
    bundle.set("/linux/resources/memory", R"({"limit":67108864,"reservation":33554432})");
    bundle.set("/linux/resources/cpu",
               R"({"shares":512,"quota":50000,"period":100000,"cpus":"0","mems":"0"})");
    bundle.set("/linux/resources/pids", R"({"limit":42})");
    REQUIRE(env.hull({"create", "--bundle", bundle.path(), "r1"}).status == 0);
    CHECK(v1("memory", "r1", "memory.limit_in_bytes") == "67108864\n");
    CHECK(v1("memory", "r1", "memory.soft_limit_in_bytes") == "33554432\n");
    CHECK(v1("cpu", "r1", "cpu.shares") == "512\n");
    CHECK(v1("cpu", "r1", "cpu.cfs_quota_us") == "50000\n");
    CHECK(v1("cpu", "r1", "cpu.cfs_period_us") == "100000\n");
    CHECK(v1("cpuset", "r1", "cpuset.cpus") == "0\n");
    CHECK(v1("pids", "r1", "pids.max") == "42\n");
    // init is in the cgroup from the start, in every hierarchy.
    std::string pid = std::to_string(env.pid("r1"));
    for (const char* c : {"memory", "cpu", "pids", "devices", "freezer", "cpuset", "blkio"})
        CHECK_THAT(v1(c, "r1", "cgroup.procs"), Catch::Contains(pid));
    REQUIRE(env.hull({"delete", "r1"}).status == 0);
    CHECK(env.leaks() == "");
}

TEST_CASE("a container that exceeds its memory limit is OOM-killed and events reports it") {
    HullEnv env;
    // Busybox sh building a string grows its heap until the limit stops it.
    auto bundle = env.bundle("b", {"sh", "-c", "sleep 1; x=a; while true; do x=$x$x; done"});
    bundle.set("/linux/resources/memory", R"({"limit":16777216,"swap":16777216})");
    REQUIRE(env.hull({"run", "-d", "--bundle", bundle.path(), "oom"}).status == 0);
    hull::test::CommandResult events;
    std::thread watcher([&] { events = env.hull({"events", "--interval", "1s", "oom"}); });
    CHECK(env.wait_status("oom", "stopped"));
    watcher.join();
    CHECK_THAT(events.out, Catch::Contains(R"({"type":"oom","id":"oom"})"));
    CHECK(env.hull({"delete", "oom"}).status == 0);
    CHECK(env.leaks() == "");
}

TEST_CASE("events --interval takes Go durations, as runc does") {
    HullEnv env;
    auto bundle = env.bundle("b", {"sleep", "2"});
    REQUIRE(env.hull({"run", "-d", "--bundle", bundle.path(), "ev"}).status == 0);
    // Every 100 ms until the container stops about 2 s later: many stats lines. Read as a
    // number of seconds, "100ms" would be 100 s between lines and outlast the test's timeout.
    auto events = env.hull({"events", "--interval", "100ms", "ev"}, {.timeout_seconds = 60});
    CHECK(events.status == 0);
    size_t lines = 0;
    for (size_t at = events.out.find(R"({"type":"stats")"); at != std::string::npos;
         at = events.out.find(R"({"type":"stats")", at + 1))
        ++lines;
    CHECK(lines >= 3);
    auto bad = env.hull({"events", "--interval", "5", "ev"});
    CHECK(bad.status == 1);
    CHECK_THAT(bad.err, Catch::Contains("--interval: invalid duration \"5\""));
    CHECK(env.hull({"delete", "ev"}).status == 0);
    CHECK(env.leaks() == "");
}

TEST_CASE("a pids limit stops a fork bomb") {
    HullEnv env;
    auto bundle = env.bundle(
        "b",
        {"sh", "-c", "i=0; while [ $i -lt 40 ]; do sleep 300 & i=$((i+1)); done; echo all-forked"});
    bundle.set("/linux/resources/pids", R"({"limit":10})");
    auto r = env.run(bundle, "bomb");
    // busybox sh gives up at the first fork the pids controller refuses.
    CHECK(r.status != 0);
    CHECK_THAT(r.err, Catch::Contains("can't fork"));
    CHECK(r.out.find("all-forked") == std::string::npos);
    bundle.set("/linux/resources/pids", R"({"limit":100})");
    auto unlimited = env.run(bundle, "nobomb");
    CHECK_THAT(unlimited.out, Catch::Contains("all-forked"));
    CHECK(env.leaks() == "");
}

TEST_CASE("pause freezes the container and resume thaws it") {
    HullEnv env;
    auto bundle = env.bundle(
        "b", {"sh", "-c", "i=0; while true; do i=$((i+1)); echo $i > /tmp/n; sleep 0.05; done"});
    bundle.set("/root/readonly", "false");
    REQUIRE(env.hull({"run", "-d", "--bundle", bundle.path(), "p"}).status == 0);
    std::string counter = bundle.rootfs() + "/tmp/n";
    sleep_ms(300);
    REQUIRE(env.hull({"pause", "p"}).status == 0);
    CHECK(env.status("p") == "paused");
    std::string frozen = hull::test::read_text(counter);
    sleep_ms(400);
    CHECK(hull::test::read_text(counter) == frozen);
    CHECK(env.hull({"pause", "p"}).status == 1);  // already paused: not running
    REQUIRE(env.hull({"resume", "p"}).status == 0);
    CHECK(env.status("p") == "running");
    sleep_ms(400);
    CHECK(hull::test::read_text(counter) != frozen);
    auto not_paused = env.hull({"resume", "p"});
    CHECK(not_paused.status == 1);
    CHECK_THAT(not_paused.err, Catch::Contains("container not paused"));
    // A paused container can still be force-deleted.
    REQUIRE(env.hull({"pause", "p"}).status == 0);
    CHECK(env.hull({"delete", "--force", "p"}).status == 0);
    CHECK(env.leaks() == "");
}

TEST_CASE("update changes a live limit, --resources takes a linux.resources JSON") {
    HullEnv env;
    auto bundle = env.bundle("b", {"sleep", "300"});
    bundle.set("/linux/resources/pids", R"({"limit":100})");
    REQUIRE(env.hull({"run", "-d", "--bundle", bundle.path(), "u"}).status == 0);
    REQUIRE(env.hull({"update", "--pids-limit", "7", "--memory", "48m", "--cpu-share", "256", "u"})
                .status == 0);
    CHECK(v1("pids", "u", "pids.max") == "7\n");
    CHECK(v1("memory", "u", "memory.limit_in_bytes") == std::to_string(48 * 1024 * 1024) + "\n");
    CHECK(v1("cpu", "u", "cpu.shares") == "256\n");
    std::string file = env.dir() / "res.json";
    std::ofstream(file) << R"({"pids":{"limit":9},"cpu":{"quota":20000,"period":100000}})";
    REQUIRE(env.hull({"update", "--resources", file, "u"}).status == 0);
    CHECK(v1("pids", "u", "pids.max") == "9\n");
    CHECK(v1("cpu", "u", "cpu.cfs_quota_us") == "20000\n");
    std::ofstream(file) << R"({"pids":{"limit":"many"}})";
    auto bad = env.hull({"update", "--resources", file, "u"});
    CHECK(bad.status == 1);
    CHECK_THAT(bad.err, Catch::Contains("/linux/resources/pids/limit"));
    CHECK(env.hull({"delete", "-f", "u"}).status == 0);
    CHECK(env.leaks() == "");
}

TEST_CASE("update with checkBeforeUpdate refuses a memory limit below the current usage") {
    HullEnv env;
    // 8 MiB in the container's tmpfs /dev/shm: charged to its memory cgroup, and with no way
    // to reclaim it but swap.
    auto bundle = env.bundle(
        "b", {"sh", "-c", "dd if=/dev/zero of=/dev/shm/fill bs=1M count=8 2>/dev/null; sleep 300"});
    bundle.set("/linux/resources/memory", R"({"limit":67108864})");
    REQUIRE(env.hull({"run", "-d", "--bundle", bundle.path(), "cbu"}).status == 0);
    std::uint64_t usage = 0;
    for (int i = 0; i < 100 && usage < (8u << 20); ++i) {
        sleep_ms(50);
        usage = std::stoull(v1("memory", "cbu", "memory.usage_in_bytes"));
    }
    REQUIRE(usage >= (8u << 20));
    std::string file = env.dir() / "res.json";
    std::ofstream(file) << R"({"memory":{"limit":4194304,"checkBeforeUpdate":true}})";
    auto refused = env.hull({"update", "--resources", file, "cbu"});
    CHECK(refused.status == 1);
    CHECK_THAT(refused.err, Catch::Contains("/linux/resources/memory/limit: 4194304 is below the "
                                            "current usage") &&
                                Catch::Contains("checkBeforeUpdate"));
    CHECK(v1("memory", "cbu", "memory.limit_in_bytes") == "67108864\n");
    // A limit above the usage passes the check and is applied.
    std::ofstream(file) << R"({"memory":{"limit":33554432,"checkBeforeUpdate":true}})";
    auto applied = env.hull({"update", "--resources", file, "cbu"});
    INFO("update: " << applied.err);
    CHECK(applied.status == 0);
    CHECK(v1("memory", "cbu", "memory.limit_in_bytes") == "33554432\n");
    CHECK(env.hull({"delete", "-f", "cbu"}).status == 0);
    CHECK(env.leaks() == "");
}

TEST_CASE("ps lists the container's processes, json is an array of pids") {
    HullEnv env;
    auto bundle = env.bundle("b", {"sh", "-c", "sleep 300 & sleep 301"});
    REQUIRE(env.hull({"run", "-d", "--bundle", bundle.path(), "ps1"}).status == 0);
    sleep_ms(200);
    auto json = env.hull({"ps", "--format", "json", "ps1"});
    CHECK(json.status == 0);
    CHECK_THAT(json.out, Catch::Matches(R"(\[\d+,\d+\]\n)"));
    auto table = env.hull({"ps", "ps1"});
    CHECK_THAT(table.out, Catch::Contains("PID") && Catch::Contains("sleep 300") &&
                              Catch::Contains("sleep 301"));
    CHECK(env.hull({"delete", "-f", "ps1"}).status == 0);
    CHECK(env.leaks() == "");
}

TEST_CASE("device rules let /dev/null through and deny a node made with mknod") {
    HullEnv env;
    auto bundle =
        env.bundle("b", {"sh", "-c",
                         "echo ok > /dev/null && echo null-ok; mknod /tmp/mem c 1 1 && echo made; "
                         "head -c1 /tmp/mem >/dev/null 2>&1 || echo mem-denied"});
    bundle.set("/root/readonly", "false");
    bundle.set("/process/capabilities/bounding/-", "\"CAP_MKNOD\"");
    bundle.set("/process/capabilities/effective/-", "\"CAP_MKNOD\"");
    bundle.set("/process/capabilities/permitted/-", "\"CAP_MKNOD\"");
    auto r = env.run(bundle);
    INFO(r.err);
    CHECK(r.out == "null-ok\nmade\nmem-denied\n");
    CHECK(env.leaks() == "");
}

TEST_CASE("the systemd cgroup driver without systemd is a clear error") {
    HullEnv env;
    auto bundle = env.bundle("b", {"/bin/true"});
    auto r = env.hull({"--systemd-cgroup", "create", "--bundle", bundle.path(), "sd"});
    CHECK(r.status == 1);
    // Names the cgroupsPath it would have used, why, and the bus it talks to; never cgroupfs.
    CHECK_THAT(r.err, Catch::Contains("cgroupsPath \":hull:sd\"") &&
                          Catch::Contains("systemd is not PID 1") &&
                          Catch::Contains("/run/systemd/private"));
    // A systemd cgroupsPath without the flag picks the same driver.
    bundle.set("/linux/cgroupsPath", "\"system.slice:hull:sd\"");
    r = env.hull({"create", "--bundle", bundle.path(), "sd"});
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Catch::Contains("cgroupsPath \"system.slice:hull:sd\"") &&
                          Catch::Contains("systemd is not PID 1"));
    CHECK(env.hull({"state", "sd"}).status != 0);
    CHECK(env.leaks() == "");
}

TEST_CASE("update --memory -1 after a swap limit makes memory and memory+swap unlimited (v1)") {
    // The kernel keeps memsw >= limit: an unlimited limit under the earlier memsw was EINVAL.
    HullEnv env;
    auto bundle = env.bundle("b", {"sleep", "300"});
    bundle.set("/linux/resources/memory", R"({"limit":33554432,"swap":67108864})");
    REQUIRE(env.hull({"run", "-d", "--bundle", bundle.path(), "m"}).status == 0);
    REQUIRE(v1("memory", "m", "memory.memsw.limit_in_bytes") == "67108864\n");
    auto r = env.hull({"update", "--memory", "-1", "m"});
    INFO("stderr: " << r.err);
    CHECK(r.status == 0);
    const std::string unlimited =
        hull::test::read_text("/sys/fs/cgroup/memory/memory.limit_in_bytes");
    CHECK(v1("memory", "m", "memory.limit_in_bytes") == unlimited);
    CHECK(v1("memory", "m", "memory.memsw.limit_in_bytes") == unlimited);
    // And back down, limit and swap together, in the order that keeps them valid.
    REQUIRE(env.hull({"update", "--memory", "32m", "--memory-swap", "48m", "m"}).status == 0);
    CHECK(v1("memory", "m", "memory.limit_in_bytes") == "33554432\n");
    CHECK(v1("memory", "m", "memory.memsw.limit_in_bytes") == "50331648\n");
    CHECK(env.hull({"delete", "-f", "m"}).status == 0);
    CHECK(env.leaks() == "");
}

TEST_CASE("update of a smaller CPU period under a parent with its own quota (v1)") {
    // old quota / new period exceeded the parent's limit, so the period alone was EINVAL;
    // with a new quota coming, the period is written again after it, as runc does.
    HullEnv env;
    const std::string parent = "/sys/fs/cgroup/cpu/hull-test-cpu-" + std::to_string(::getpid());
    REQUIRE(::mkdir(parent.c_str(), 0755) == 0);
    struct RemoveParent {
        std::string dir;
        ~RemoveParent() { ::rmdir(dir.c_str()); }
    } remove_parent{parent};
    std::ofstream(parent + "/cpu.cfs_quota_us") << "50000";
    auto bundle = env.bundle("b", {"sleep", "300"});
    bundle.set("/linux/cgroupsPath", "\"/hull-test-cpu-" + std::to_string(::getpid()) + "/c\"");
    bundle.set("/linux/resources/cpu", R"({"quota":50000,"period":100000})");
    auto run = env.hull({"run", "-d", "--bundle", bundle.path(), "c"});
    INFO("run stderr: " << run.err);
    REQUIRE(run.status == 0);
    auto r = env.hull({"update", "--cpu-period", "50000", "--cpu-quota", "25000", "c"});
    INFO("stderr: " << r.err);
    CHECK(r.status == 0);
    CHECK(hull::test::read_text(parent + "/c/cpu.cfs_period_us") == "50000\n");
    CHECK(hull::test::read_text(parent + "/c/cpu.cfs_quota_us") == "25000\n");
    CHECK(env.hull({"delete", "-f", "c"}).status == 0);
    CHECK(env.leaks() == "");
}
