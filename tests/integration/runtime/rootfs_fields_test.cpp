// Each rootfs and linux setting of config.json, observed from inside a real container.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "support/command.hpp"
#include "support/hull_env.hpp"

using hull::test::HullEnv;

namespace {

std::string observe(HullEnv& env, const std::string& script,
                    const std::function<void(hull::test::BusyboxBundle&)>& setup,
                    int expected_status = 0) {
    static int serial = 0;
    std::string name = "b" + std::to_string(++serial);
    auto bundle = env.bundle(name, {"sh", "-c", script});
    setup(bundle);
    auto r = env.run(bundle, name);
    INFO("stderr: " << r.err);
    CHECK(r.status == expected_status);
    return r.out;
}

}  // namespace

TEST_CASE("root.readonly makes / read-only") {
    HullEnv env;
    auto out =
        observe(env, "touch /x 2>&1; echo rc=$?", [](auto& b) { b.set("/root/readonly", "true"); });
    CHECK_THAT(out, Catch::Contains("Read-only file system"));
    auto rw =
        observe(env, "touch /x && echo ok", [](auto& b) { b.set("/root/readonly", "false"); });
    CHECK(rw == "ok\n");
    CHECK(env.leaks() == "");
}

TEST_CASE("mounts: tmpfs with options, read-only bind, nosuid/noexec in mountinfo") {
    HullEnv env;
    hull::test::TempDir host("hull-bind");
    std::ofstream(host / "file") << "from host\n";
    auto out = observe(
        env,
        "cat /data/file; touch /data/new 2>&1; grep -E ' /(scratch|data) ' /proc/self/mountinfo",
        [&](auto& b) {
            b.set(
                "/mounts/-",
                R"({"destination":"/scratch","type":"tmpfs","source":"tmpfs","options":["nosuid","noexec","size=1m","mode=700"]})");
            b.set("/mounts/-", R"({"destination":"/data","type":"bind","source":")" + host.path() +
                                   R"(","options":["rbind","ro"]})");
        });
    CHECK_THAT(out, Catch::Contains("from host"));
    CHECK_THAT(out, Catch::Contains("Read-only file system"));
    CHECK_THAT(out, Catch::Contains("/scratch rw,nosuid,noexec"));
    CHECK_THAT(out, Catch::Contains("size=1024k,mode=700"));
    CHECK_THAT(out, Catch::Contains("/data ro"));
    CHECK(::access((host / "new").c_str(), F_OK) != 0);
    CHECK(env.leaks() == "");
}

TEST_CASE("default devices and /dev symlinks exist") {
    HullEnv env;
    auto out = observe(
        env,
        "for d in null zero full random urandom tty; do stat -c '%n %F %t:%T' /dev/$d; done; "
        "for l in fd stdin stdout stderr ptmx; do readlink /dev/$l; done",
        [](auto&) {});
    CHECK_THAT(out, Catch::Contains("/dev/null character special file 1:3"));
    CHECK_THAT(out, Catch::Contains("/dev/zero character special file 1:5"));
    CHECK_THAT(out, Catch::Contains("/dev/full character special file 1:7"));
    CHECK_THAT(out, Catch::Contains("/dev/random character special file 1:8"));
    CHECK_THAT(out, Catch::Contains("/dev/urandom character special file 1:9"));
    CHECK_THAT(out, Catch::Contains("/dev/tty character special file 5:0"));
    CHECK_THAT(out,
               Catch::Contains(
                   "/proc/self/fd\n/proc/self/fd/0\n/proc/self/fd/1\n/proc/self/fd/2\npts/ptmx\n"));
    CHECK(env.leaks() == "");
}

TEST_CASE("linux.devices are created with type, numbers, mode and owner") {
    HullEnv env;
    auto out = observe(env, "stat -c '%F %t:%T %a %u:%g' /dev/mydev", [](auto& b) {
        b.set(
            "/linux/devices",
            R"([{"path":"/dev/mydev","type":"c","major":1,"minor":3,"fileMode":432,"uid":7,"gid":8}])");
    });
    CHECK(out == "character special file 1:3 660 7:8\n");
    CHECK(env.leaks() == "");
}

TEST_CASE("maskedPaths and readonlyPaths") {
    HullEnv env;
    auto out = observe(env,
                       "wc -c < /proc/kallsyms; ls -A /sys/firmware | wc -l; (echo 1 > "
                       "/proc/sys/kernel/ns_last_pid) 2>&1; echo rc=$?",
                       [](auto& b) {
                           b.set("/linux/maskedPaths", R"(["/proc/kallsyms","/sys/firmware"])");
                           b.set("/linux/readonlyPaths", R"(["/proc/sys"])");
                       });
    CHECK(out.rfind("0\n0\n", 0) == 0);
    CHECK_THAT(out, Catch::Contains("Read-only file system"));
    CHECK(env.leaks() == "");
}

TEST_CASE("sysctl is written inside the container's namespaces") {
    HullEnv env;
    auto out =
        observe(env, "cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/msgmax", [](auto& b) {
            b.set("/linux/sysctl", R"({"net.ipv4.ip_forward":"1","kernel.msgmax":"12345"})");
        });
    CHECK(out == "1\n12345\n");
    CHECK(env.leaks() == "");
}

TEST_CASE("namespaces: each requested one is new, others are the host's") {
    HullEnv env;
    auto host_ns = [](const char* name) {
        char buf[64] = {};
        ssize_t n = ::readlink((std::string("/proc/self/ns/") + name).c_str(), buf, sizeof buf - 1);
        return std::string(buf, n > 0 ? static_cast<size_t>(n) : 0);
    };
    auto out = observe(
        env, "for n in mnt pid net ipc uts cgroup user; do readlink /proc/self/ns/$n; done",
        [](auto& b) {
            b.set("/linux/namespaces", R"([{"type":"mount"},{"type":"pid"},{"type":"uts"}])");
        });
    CHECK_THAT(out, !Catch::Contains(host_ns("mnt")));
    CHECK_THAT(out, !Catch::Contains(host_ns("pid")));
    CHECK_THAT(out, !Catch::Contains(host_ns("uts")));
    CHECK_THAT(out, Catch::Contains(host_ns("net")));
    CHECK_THAT(out, Catch::Contains(host_ns("ipc")));
    CHECK_THAT(out, Catch::Contains(host_ns("user")));
    CHECK(env.leaks() == "");
}

TEST_CASE("a namespace joined by path is the one at that path") {
    HullEnv env;
    auto first = env.bundle("first", {"sleep", "300"});
    REQUIRE(env.hull({"run", "-d", "--bundle", first.path(), "holder"}).status == 0);
    std::string net = "/proc/" + std::to_string(env.pid("holder")) + "/ns/net";
    char buf[64] = {};
    REQUIRE(::readlink(net.c_str(), buf, sizeof buf - 1) > 0);
    auto out = observe(env, "readlink /proc/self/ns/net", [&](auto& b) {
        b.set("/linux/namespaces",
              R"([{"type":"mount"},{"type":"pid"},{"type":"uts"},{"type":"network","path":")" +
                  net + R"("}])");
    });
    CHECK(out == std::string(buf) + "\n");
    CHECK(env.hull({"delete", "-f", "holder"}).status == 0);
    CHECK(env.leaks() == "");
}

TEST_CASE("a new network namespace has its loopback up, as in runc and crun") {
    HullEnv env;
    // IFF_UP (0x1) | IFF_LOOPBACK (0x8); and 127.0.0.1 answers: a listener and a client.
    auto out =
        observe(env,
                "cat /sys/class/net/lo/flags; (nc -l -p 7777 & sleep 0.2; "
                "echo hi | nc 127.0.0.1 7777; wait)",
                [](auto& b) {
                    b.set("/linux/namespaces",
                          R"([{"type":"mount"},{"type":"pid"},{"type":"uts"},{"type":"network"}])");
                });
    CHECK(out == "0x9\nhi\n");
    CHECK(env.leaks() == "");
}

TEST_CASE("a network namespace joined by path keeps its loopback as its owner left it") {
    HullEnv env;
    // A namespace of the test's own, its lo down as the kernel makes it.
    std::string name = "hull-lo-" + std::to_string(::getpid());
    REQUIRE(hull::test::run_command({"ip", "netns", "add", name}).status == 0);
    struct Remove {
        std::string name;
        ~Remove() { hull::test::run_command({"ip", "netns", "delete", name}); }
    } remove{name};
    auto out = observe(env, "cat /sys/class/net/lo/flags", [&](auto& b) {
        b.set(
            "/linux/namespaces",
            R"([{"type":"mount"},{"type":"pid"},{"type":"uts"},{"type":"network","path":"/run/netns/)" +
                name + R"("}])");
    });
    CHECK(out == "0x8\n");
}

TEST_CASE("user namespace with uid/gid mappings") {
    HullEnv env;
    auto bundle_out = observe(
        env, "cat /proc/self/uid_map /proc/self/gid_map; id -u; touch /tmp/f && stat -c %u /tmp/f",
        [](auto& b) {
            b.add_user_namespace();
            b.set("/mounts/-", R"({"destination":"/tmp","type":"tmpfs","source":"tmpfs"})");
        });
    CHECK_THAT(bundle_out, Catch::Contains("0     100000      65536"));
    CHECK_THAT(bundle_out, Catch::EndsWith("0\n0\n"));
    CHECK(env.leaks() == "");
}

TEST_CASE("time namespace offsets") {
    HullEnv env;
    auto out = observe(env, "cut -d. -f1 /proc/uptime", [](auto& b) {
        b.set("/linux/namespaces/-", R"({"type":"time"})");
        b.set("/linux/timeOffsets", R"({"boottime":{"secs":86400000,"nanosecs":0}})");
    });
    CHECK(std::stol(out) >= 86400000);
    CHECK(env.leaks() == "");
}

TEST_CASE("no-pivot mode uses chroot and still runs the container") {
    HullEnv env;
    auto bundle = env.bundle("b", {"sh", "-c", "echo ok"});
    auto r = env.hull({"run", "--no-pivot", "--bundle", bundle.path(), "np"});
    CHECK(r.status == 0);
    CHECK(r.out == "ok\n");
    CHECK(env.leaks() == "");
}

TEST_CASE("preserve-fds passes extra fds, and no other fd leaks into the container") {
    HullEnv env;
    auto bundle =
        env.bundle("b", {"sh", "-c", "ls /proc/self/fd | sort -n | tr '\\n' ' '; cat <&3"});
    env.track("pf");
    hull::test::TempDir tmp("hull-fd");
    std::ofstream(tmp / "msg") << "via fd 3";
    auto r = hull::test::run_command({"sh", "-c",
                                      hull::test::hull_binary() + " --root " + env.root() +
                                          " run --preserve-fds 1 --bundle " + bundle.path() +
                                          " pf 3<" + (tmp / "msg")});
    CHECK(r.status == 0);
    // 0 1 2 3 and the fd ls itself opens for /proc/self/fd.
    CHECK(r.out == "0 1 2 3 4 via fd 3");
    CHECK(env.leaks() == "");
}

TEST_CASE(
    "a bind source below a directory the container's root may not search, in a user "
    "namespace") {
    // The container's root is host uid 100000: it may not search a 0700 directory of host
    // root's (what `mktemp -d` makes). runc resolves bind sources on the host side; so does
    // hull, for plain binds as for idmapped ones.
    HullEnv env;
    hull::test::TempDir host("hull-private");
    REQUIRE(::chmod(host.path().c_str(), 0700) == 0);
    REQUIRE(::mkdir((host / "data").c_str(), 0755) == 0);
    std::ofstream(host / "data/file") << "reached";
    auto out = observe(env, "cat /data/file", [&](auto& b) {
        ::mkdir((b.rootfs() + "/data").c_str(), 0755);
        b.add_user_namespace();
        b.set("/mounts/-", R"({"destination":"/data","type":"bind","source":")" + (host / "data") +
                               R"(","options":["bind","ro"]})");
    });
    CHECK(out == "reached");
    CHECK(env.leaks() == "");
}

TEST_CASE(
    "a rootfs below a directory the user namespace's root may not search is refused "
    "clearly, as by runc") {
    HullEnv env;
    hull::test::TempDir host("hull-private");
    REQUIRE(::chmod(host.path().c_str(), 0700) == 0);
    hull::test::BusyboxBundle bundle(host / "b", {"true"});
    bundle.add_user_namespace();
    auto r = env.hull({"run", "--bundle", bundle.path(), "c1"});
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Catch::Contains("must be able to search every directory above it") &&
                          Catch::Contains("Permission denied"));
    CHECK(env.hull({"list", "-q"}).out == "");
    CHECK(env.leaks() == "");
}

TEST_CASE(
    "an idmapped bind mount in a user namespace shows host root's files as the container's "
    "root's") {
    HullEnv env;
    hull::test::TempDir host("hull-idmap");
    ::chmod(host.path().c_str(), 0755);
    std::ofstream(host / "file") << "x";
    auto out = observe(env, "stat -c %u /plain/file /mapped/file", [&](auto& b) {
        // The container's root (host uid 100000) cannot make mount points in a root-owned rootfs.
        ::mkdir((b.rootfs() + "/plain").c_str(), 0755);
        ::mkdir((b.rootfs() + "/mapped").c_str(), 0755);
        b.add_user_namespace();
        b.set("/mounts/-", R"({"destination":"/plain","type":"bind","source":")" + host.path() +
                               R"(","options":["rbind","ro"]})");
        b.set("/mounts/-", R"({"destination":"/mapped","type":"bind","source":")" + host.path() +
                               R"(","options":["rbind","ro","idmap"],
              "uidMappings":[{"containerID":0,"hostID":100000,"size":65536}],
              "gidMappings":[{"containerID":0,"hostID":100000,"size":65536}]})");
    });
    // Unmapped, host root is nobody in the container; through the idmapped mount it is root.
    CHECK(out == "65534\n0\n");
    CHECK(env.leaks() == "");
}
