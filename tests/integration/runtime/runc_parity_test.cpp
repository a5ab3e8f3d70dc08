// Paths where runc works and hull once failed (issue 17), each on the CLI path a user takes.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <sstream>
#include <thread>

#include "base/file.hpp"
#include "support/hull_env.hpp"

using hull::test::HullEnv;

namespace {

// A 0700 /root owned by root in the bundle's rootfs: uid 1000 may not search it.
void make_private_root_home(hull::test::BusyboxBundle& bundle) {
    std::string home = bundle.rootfs() + "/root";
    ::mkdir(home.c_str(), 0700);
    REQUIRE(::chmod(home.c_str(), 0700) == 0);
    REQUIRE(::chown(home.c_str(), 0, 0) == 0);
}

}  // namespace

TEST_CASE("a seccomp filter that denies getcwd does not stop the container from starting") {
    // Without noNewPrivileges the filter is loaded before the identity switch; hull used to
    // call getcwd after it to re-check cwd, and start failed with "outside of the root".
    HullEnv env;
    auto bundle = env.bundle("b", {"sh", "-c", "echo started"});
    bundle.set("/process/noNewPrivileges", "false");
    bundle.set("/process/cwd", R"("/tmp")");
    bundle.set("/linux/seccomp", R"({"defaultAction":"SCMP_ACT_ALLOW",
        "syscalls":[{"names":["getcwd"],"action":"SCMP_ACT_ERRNO","errnoRet":1}]})");
    auto r = env.run(bundle, "c1");
    INFO("stderr: " << r.err);
    CHECK(r.status == 0);
    CHECK(r.out == "started\n");
    CHECK(env.leaks() == "");
}

TEST_CASE("a user who may not search cwd still starts there, at create and at exec") {
    // runc enters cwd while still privileged and tries again as the user only if that failed.
    HullEnv env;
    auto bundle = env.bundle("b", {"sh", "-c", "cd . 2>/dev/null; echo in-cwd; sleep 300"});
    make_private_root_home(bundle);
    bundle.set("/process/cwd", R"("/root")");
    bundle.set("/process/user", R"({"uid":1000,"gid":1000})");
    auto created = env.hull({"create", "--bundle", bundle.path(), "c1"});
    INFO("create stderr: " << created.err);
    REQUIRE(created.status == 0);
    REQUIRE(env.hull({"start", "c1"}).status == 0);

    auto as_user =
        env.hull({"exec", "--user", "1000:1000", "c1", "sh", "-c", "echo ok; ls . 2>&1; exit 0"});
    INFO("exec stderr: " << as_user.err);
    CHECK(as_user.status == 0);
    CHECK_THAT(as_user.out, Catch::StartsWith("ok\n"));
    // The directory really is closed to that user: listing it is refused.
    CHECK_THAT(as_user.out, Catch::Contains("Permission denied"));

    CHECK(env.hull({"delete", "--force", "c1"}).status == 0);
    CHECK(env.leaks() == "");
}

TEST_CASE("ambient capabilities that are not inheritable are noted at --debug, not warned") {
    // runc's older default config.json has exactly this; runc prints nothing, and a warning on
    // every run and exec mixed into the output that scripts read.
    HullEnv env;
    auto bundle = env.bundle("b", {"sleep", "300"});
    bundle.set("/process/capabilities", R"({"bounding":["CAP_KILL"],"effective":["CAP_KILL"],
        "permitted":["CAP_KILL"],"inheritable":[],"ambient":["CAP_KILL"]})");
    auto created = env.hull({"create", "--bundle", bundle.path(), "c1"});
    REQUIRE(created.status == 0);
    auto started = env.hull({"start", "c1"});
    REQUIRE(started.status == 0);
    auto exec = env.hull({"exec", "c1", "true"});
    CHECK(exec.status == 0);
    for (const auto* err : {&created.err, &started.err, &exec.err})
        CHECK_THAT(*err, !Catch::Contains("ambient"));

    auto debug = env.hull({"--debug", "exec", "c1", "true"});
    CHECK(debug.status == 0);
    CHECK_THAT(debug.err, Catch::Contains("ambient capability CAP_KILL"));

    CHECK(env.hull({"delete", "--force", "c1"}).status == 0);
    CHECK(env.leaks() == "");
}

namespace {

// A cgroup made and frozen by the test, as another manager would leave it; thawed, emptied
// and removed on scope exit, whatever hull did.
class FrozenCgroup {
  public:
    explicit FrozenCgroup(const std::string& path) : path_(path) {
        v1_ = ::access("/sys/fs/cgroup/freezer", F_OK) == 0;
        dir_ = (v1_ ? "/sys/fs/cgroup/freezer" : "/sys/fs/cgroup") + path;
        REQUIRE(::mkdir(dir_.c_str(), 0755) == 0);
        hull::write_file(dir_ + (v1_ ? "/freezer.state" : "/cgroup.freeze"), v1_ ? "FROZEN" : "1");
    }
    ~FrozenCgroup() {
        ::rmdir(dir_.c_str());  // the common case: empty
        if (::access(dir_.c_str(), F_OK) != 0) return;
        hull::write_file(dir_ + (v1_ ? "/freezer.state" : "/cgroup.freeze"), v1_ ? "THAWED" : "0");
        for (int i = 0; i < 100 && ::rmdir(dir_.c_str()) != 0; ++i) {
            std::istringstream procs(hull::read_file(dir_ + "/cgroup.procs"));
            for (pid_t pid; procs >> pid;)
                ::kill(pid, SIGKILL);
            ::usleep(50000);
        }
    }
    bool frozen() const {
        std::string s = hull::read_file(dir_ + (v1_ ? "/freezer.state" : "/cgroup.freeze"));
        return s.rfind(v1_ ? "FROZEN" : "1", 0) == 0;
    }
    bool exists() const { return ::access(dir_.c_str(), F_OK) == 0; }
    const std::string& path() const { return path_; }

  private:
    std::string path_;
    std::string dir_;
    bool v1_ = false;
};

}  // namespace

TEST_CASE("create into a cgroup that exists and is frozen is refused, and the cgroup is kept") {
    // It used to hang: init was cloned into the frozen cgroup and never reported.
    HullEnv env;
    FrozenCgroup frozen("/hull-test-frozen-" + std::to_string(::getpid()));
    auto bundle = env.bundle("b", {"sleep", "300"});
    bundle.set("/linux/cgroupsPath", "\"" + frozen.path() + "\"");
    hull::test::CommandOptions bounded;
    bounded.timeout_seconds = 30;
    auto r = env.hull({"create", "--bundle", bundle.path(), "c1"}, bounded);
    CHECK(r.status != 0);
    CHECK_THAT(r.err, Catch::Contains("/linux/cgroupsPath") && Catch::Contains("frozen"));
    CHECK(env.hull({"list", "-q"}).out == "");
    // Someone else's cgroup: neither removed nor thawed.
    CHECK(frozen.exists());
    CHECK(frozen.frozen());
    CHECK(env.leaks() == "");
}

TEST_CASE(
    "exec into a paused container is refused unless --ignore-paused, which runs it at resume") {
    HullEnv env;
    auto bundle = env.bundle("b", {"sleep", "300"});
    REQUIRE(env.hull({"run", "-d", "--bundle", bundle.path(), "c1"}).status == 0);
    REQUIRE(env.hull({"pause", "c1"}).status == 0);

    auto refused = env.hull({"exec", "c1", "true"});
    CHECK(refused.status == 255);
    CHECK_THAT(refused.err, Catch::Contains("paused") && Catch::Contains("--ignore-paused"));

    // The process joins the frozen cgroup and cannot start until the container is resumed.
    hull::test::CommandResult late;
    std::thread exec([&] { late = env.hull({"exec", "--ignore-paused", "c1", "echo", "ran"}); });
    // Resume only once the exec'd process is in the container (frozen), so that the case
    // really tests exec into a paused container and not one that is running again.
    bool joined = false;
    for (int i = 0; i < 400 && !joined; ++i) {
        auto ps = env.hull({"ps", "--format", "json", "c1"});
        joined = std::count(ps.out.begin(), ps.out.end(), ',') >= 1;
        if (!joined) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    CHECK(joined);
    CHECK(env.status("c1") == "paused");
    CHECK(env.hull({"resume", "c1"}).status == 0);
    exec.join();
    INFO("exec stderr: " << late.err);
    CHECK(late.status == 0);
    CHECK(late.out == "ran\n");

    CHECK(env.hull({"delete", "--force", "c1"}).status == 0);
    CHECK(env.leaks() == "");
}

TEST_CASE("delete --force of a paused container thaws, kills and removes it") {
    HullEnv env;
    auto bundle = env.bundle("b", {"sleep", "300"});
    REQUIRE(env.hull({"run", "-d", "--bundle", bundle.path(), "c1"}).status == 0);
    REQUIRE(env.hull({"pause", "c1"}).status == 0);
    auto plain = env.hull({"delete", "c1"});
    CHECK(plain.status != 0);
    CHECK_THAT(plain.err, Catch::Contains("paused"));
    CHECK(env.hull({"delete", "--force", "c1"}).status == 0);
    CHECK(env.hull({"list", "-q"}).out == "");
    CHECK(env.leaks() == "");
}

TEST_CASE("run adopts the container's orphans unless --no-subreaper") {
    // In the host's pid namespace an orphan goes to the nearest subreaper: `hull run` itself,
    // as with runc, or with --no-subreaper an ancestor of hull (this test process is one).
    HullEnv env;
    const std::string script =
        "p=$( (sleep 30 >/dev/null 2>&1 & echo $!) ); sleep 0.2; "
        "awk '/^PPid/{print $2}' /proc/$p/status; echo $PPID; kill $p";
    for (bool no_subreaper : {false, true}) {
        auto bundle = env.bundle(no_subreaper ? "without" : "with", {"sh", "-c", script});
        bundle.erase("/linux/namespaces/0");  // the default spec lists pid first
        REQUIRE_THAT(bundle.config()["linux"]["namespaces"][0]["type"].GetString(),
                     !Catch::Equals("pid"));
        std::vector<std::string> args = {"run", "--bundle", bundle.path()};
        if (no_subreaper) args.push_back("--no-subreaper");
        args.push_back(no_subreaper ? "c2" : "c1");
        auto r = env.hull(args);
        INFO("no_subreaper " << no_subreaper << ", stderr: " << r.err);
        REQUIRE(r.status == 0);
        std::istringstream lines(r.out);
        std::string orphan_parent, hull_run;
        lines >> orphan_parent >> hull_run;
        // init is hull run's own child, so init's parent is hull run.
        if (no_subreaper)
            CHECK(orphan_parent != hull_run);
        else
            CHECK(orphan_parent == hull_run);
    }
    CHECK(env.leaks() == "");
}

TEST_CASE("a read-only /dev still gets its devices, /dev/pts and /dev/shm") {
    // The devpts and shm mountpoints used to be made after /dev was already read-only.
    HullEnv env;
    auto bundle = env.bundle(
        "b", {"sh", "-c",
              "touch /dev/new 2>&1; ls /dev/null /dev/pts/ptmx; grep ' /dev tmpfs ' /proc/mounts"});
    auto& mounts = bundle.config()["mounts"];
    bool found = false;
    for (rapidjson::SizeType i = 0; i < mounts.Size(); ++i) {
        if (std::string(mounts[i]["destination"].GetString()) != "/dev") continue;
        bundle.set("/mounts/" + std::to_string(i) + "/options",
                   R"(["nosuid","strictatime","mode=755","size=65536k","ro"])");
        found = true;
    }
    REQUIRE(found);
    auto r = env.run(bundle, "c1");
    INFO("stderr: " << r.err);
    CHECK(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains("Read-only file system"));
    CHECK_THAT(r.out, Catch::Contains("/dev/null") && Catch::Contains("/dev/pts/ptmx"));
    CHECK_THAT(r.out, Catch::Contains("/dev tmpfs ro,"));
    CHECK(env.leaks() == "");
}

TEST_CASE("startContainer hooks run as the process's user, under its seccomp filter") {
    // As in runc and crun: they run last before execve, and they used to run as root, unfiltered.
    HullEnv env;
    auto bundle = env.bundle("b", {"cat", "/dev/shm/hook"});
    bundle.set("/process/user", R"({"uid":1000,"gid":1000})");
    bundle.set("/linux/seccomp", R"({"defaultAction":"SCMP_ACT_ALLOW",
        "syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO","errnoRet":1}]})");
    bundle.set("/hooks/startContainer",
               R"([{"path":"/bin/sh","args":["sh","-c",
               "grep -E '^(Uid|Seccomp):' /proc/self/status > /dev/shm/hook"]}])");
    auto r = env.run(bundle, "c1");
    INFO("stderr: " << r.err);
    CHECK(r.status == 0);
    CHECK_THAT(r.out, Catch::Matches("Uid:\\s+1000\\s+1000\\s+1000\\s+1000\\s+Seccomp:\\s+2\\s*"));
    CHECK(env.leaks() == "");
}

TEST_CASE("with no-pivot no full /proc or /sys of the host is left to mount afresh") {
    // The kernel lets a new user namespace mount procfs or sysfs while one that is fully
    // visible exists in the mount namespace; without pivot_root the host's would, under the
    // chroot. runc detaches them; so does hull. The container's own /proc has masked paths.
    HullEnv env;
    auto bundle =
        env.bundle("b", {"sh", "-c",
                         "unshare -mrpf sh -c 'mount -t proc proc /proc 2>&1 && echo proc-mounted; "
                         "mount -t sysfs sysfs /sys 2>&1 && echo sysfs-mounted'; echo done"});
    // Mapping root into a new user namespace takes CAP_SETFCAP (Linux 5.12+).
    bundle.set("/process/capabilities",
               R"({"bounding":["CAP_SETFCAP","CAP_SYS_ADMIN"],"effective":["CAP_SETFCAP",
        "CAP_SYS_ADMIN"],"permitted":["CAP_SETFCAP","CAP_SYS_ADMIN"]})");
    auto r = env.hull({"run", "--no-pivot", "--bundle", bundle.path(), "c1"});
    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    CHECK(r.status == 0);
    CHECK_THAT(r.out, Catch::EndsWith("done\n"));
    CHECK_THAT(r.out, !Catch::Contains("proc-mounted"));
    CHECK_THAT(r.out, !Catch::Contains("sysfs-mounted"));
    CHECK_THAT(r.out,
               Catch::Contains("ermission denied") || Catch::Contains("Operation not permitted"));
    CHECK(env.leaks() == "");
}
