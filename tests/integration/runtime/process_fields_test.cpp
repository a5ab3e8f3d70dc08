// Each process setting of config.json, observed from inside a real container.
#include <linux/types.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "base/file.hpp"
#include "runtime/security/sched_attr.hpp"
#include "support/hull_env.hpp"

using hull::test::HullEnv;

namespace {

// Runs `sh -c script` in a fresh container configured by setup; returns stdout.
std::string observe(HullEnv& env, const std::string& script,
                    const std::function<void(hull::test::BusyboxBundle&)>& setup) {
    static int serial = 0;
    std::string name = "b" + std::to_string(++serial);
    auto bundle = env.bundle(name, {"sh", "-c", script});
    setup(bundle);
    auto r = env.run(bundle, name);
    INFO("stderr: " << r.err);
    CHECK(r.status == 0);
    return r.out;
}

std::string status_field(const std::string& status, const std::string& field) {
    auto pos = status.find(field + ":");
    if (pos == std::string::npos) return "";
    auto start = status.find_first_not_of(" \t", pos + field.size() + 1);
    return status.substr(start, status.find('\n', start) - start);
}

}  // namespace

TEST_CASE("process args, env and cwd") {
    HullEnv env;
    auto out = observe(env, "echo \"$0|$1|$FOO|$(pwd)\"", [](auto& b) {
        b.set("/process/args", R"(["sh","-c","echo \"$0|$1|$FOO|$(pwd)\"","zero","one"])");
        b.set("/process/env", R"(["PATH=/bin","FOO=bar baz"])");
        b.set("/process/cwd", R"("/tmp")");
    });
    CHECK(out == "zero|one|bar baz|/tmp\n");
    CHECK(env.leaks() == "");
}

TEST_CASE("process user: uid, gid, additionalGids, umask") {
    HullEnv env;
    auto out = observe(env, "id -u; id -g; id -G; umask", [](auto& b) {
        b.set("/process/user", R"({"uid":1000,"gid":1001,"additionalGids":[5,6],"umask":63})");
    });
    CHECK(out == "1000\n1001\n1001 5 6\n0077\n");
    CHECK(env.leaks() == "");
}

TEST_CASE("hostname and domainname") {
    HullEnv env;
    auto out = observe(env, "hostname; cat /proc/sys/kernel/domainname", [](auto& b) {
        b.set("/hostname", R"("box")");
        b.set("/domainname", R"("example.org")");
    });
    CHECK(out == "box\nexample.org\n");
    CHECK(env.leaks() == "");
}

TEST_CASE("rlimits") {
    HullEnv env;
    auto out = observe(env, "ulimit -Sn; ulimit -Hn; ulimit -c", [](auto& b) {
        b.set(
            "/process/rlimits",
            R"([{"type":"RLIMIT_NOFILE","soft":321,"hard":654},{"type":"RLIMIT_CORE","soft":0,"hard":0}])");
    });
    CHECK(out == "321\n654\n0\n");
    CHECK(env.leaks() == "");
}

TEST_CASE("capabilities: all five sets, and noNewPrivileges") {
    HullEnv env;
    auto out = observe(env, "cat /proc/self/status", [](auto& b) {
        b.set("/process/capabilities", R"({
            "bounding":["CAP_CHOWN","CAP_NET_RAW","CAP_KILL"],
            "permitted":["CAP_CHOWN","CAP_NET_RAW","CAP_KILL"],
            "effective":["CAP_CHOWN","CAP_KILL"],
            "inheritable":["CAP_NET_RAW","CAP_KILL"],
            "ambient":["CAP_KILL"]})");
        b.set("/process/noNewPrivileges", "true");
    });
    // CHOWN=0, KILL=5, NET_RAW=13. After execve of a non-root-file as root, the kernel
    // recomputes sets for uid 0: effective = permitted.
    CHECK(status_field(out, "CapBnd") == "0000000000002021");
    CHECK(status_field(out, "CapPrm") == "0000000000002021");
    CHECK(status_field(out, "CapInh") == "0000000000002020");
    CHECK(status_field(out, "CapAmb") == "0000000000000020");
    CHECK(status_field(out, "NoNewPrivs") == "1");
    CHECK(env.leaks() == "");
}

TEST_CASE("capabilities of a non-root user stay exactly as configured") {
    HullEnv env;
    auto out = observe(env, "cat /proc/self/status", [](auto& b) {
        b.set("/process/user", R"({"uid":1000,"gid":1000})");
        b.set("/process/capabilities", R"({
            "bounding":["CAP_CHOWN","CAP_KILL"], "permitted":["CAP_CHOWN","CAP_KILL"],
            "effective":["CAP_KILL"], "inheritable":["CAP_KILL"], "ambient":["CAP_KILL"]})");
    });
    CHECK(status_field(out, "CapEff") == "0000000000000020");
    CHECK(status_field(out, "CapAmb") == "0000000000000020");
    CHECK(status_field(out, "CapBnd") == "0000000000000021");
    CHECK(env.leaks() == "");
}

TEST_CASE("oomScoreAdj") {
    HullEnv env;
    auto out = observe(env, "cat /proc/self/oom_score_adj",
                       [](auto& b) { b.set("/process/oomScoreAdj", "423"); });
    CHECK(out == "423\n");
    CHECK(env.leaks() == "");
}

TEST_CASE("seccomp: a blocked syscall returns the configured errno") {
    HullEnv env;
    auto out = observe(env, "mkdir /tmp/x 2>&1; echo rc=$?; ls /tmp", [](auto& b) {
        b.set("/linux/seccomp", R"({"defaultAction":"SCMP_ACT_ALLOW",
            "syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO","errnoRet":1}]})");
    });
    CHECK_THAT(out, Catch::Contains("Operation not permitted"));
    CHECK_THAT(out, Catch::Contains("rc=1"));
    CHECK(env.leaks() == "");
}

TEST_CASE("personality LINUX32 makes uname report i686") {
    HullEnv env;
    auto out = observe(env, "uname -m",
                       [](auto& b) { b.set("/linux/personality", R"({"domain":"LINUX32"})"); });
    CHECK(out == "i686\n");
    CHECK(env.leaks() == "");
}

TEST_CASE("scheduler policy") {
    HullEnv env;
    auto out = observe(env, "cat /proc/self/sched | grep policy", [](auto& b) {
        b.set("/process/scheduler", R"({"policy":"SCHED_BATCH","nice":5})");
    });
    CHECK_THAT(out, Catch::Contains(
                        "policy                                       :                    3"));
    CHECK(env.leaks() == "");
}

TEST_CASE("scheduler SCHED_DEADLINE: runtime, deadline and period reach the process") {
    // sched_getattr from the host: /proc/<pid>/sched shows the policy and the runtime left,
    // not the deadline and period themselves.
    HullEnv env;
    auto bundle = env.bundle("b", {"sleep", "300"});
    // Nanoseconds, runtime <= deadline <= period: 10 ms of every 100 ms, due within 30 ms.
    bundle.set("/process/scheduler", R"({"policy":"SCHED_DEADLINE","runtime":10000000,
        "deadline":30000000,"period":100000000})");
    auto r = env.hull({"run", "-d", "--bundle", bundle.path(), "dl"});
    INFO("run: " << r.err);
    REQUIRE(r.status == 0);
    hull::security::SchedAttr attr;
    REQUIRE(hull::security::sched_getattr(env.pid("dl"), &attr, 0) == 0);
    CHECK(attr.sched_policy == 6);  // SCHED_DEADLINE
    CHECK(attr.sched_runtime == 10000000);
    CHECK(attr.sched_deadline == 30000000);
    CHECK(attr.sched_period == 100000000);

    // Parameters the kernel refuses (runtime above deadline) fail the start, naming the policy.
    auto bad = env.bundle("bad", {"sleep", "300"});
    bad.set("/process/scheduler", R"({"policy":"SCHED_DEADLINE","runtime":50000000,
        "deadline":30000000,"period":100000000})");
    auto refused = env.hull({"run", "-d", "--bundle", bad.path(), "dl-bad"});
    CHECK(refused.status != 0);
    CHECK_THAT(refused.err, Catch::Contains("SCHED_DEADLINE"));

    CHECK(env.hull({"delete", "--force", "dl"}).status == 0);
    CHECK(env.leaks() == "");
}

TEST_CASE("execCPUAffinity final pins exec'd processes, not init") {
    // config.md: "This setting is not applicable to the container's init process."
    if (::sysconf(_SC_NPROCESSORS_ONLN) < 2) {
        WARN("not run: needs two CPUs to tell a pin from none");
        return;
    }
    HullEnv env;
    auto bundle = env.bundle("b", {"sh", "-c",
                                   "grep Cpus_allowed_list /proc/self/status; "
                                   "sleep 300"});
    bundle.set("/process/execCPUAffinity", R"({"initial":"0","final":"1"})");
    auto created = env.hull({"create", "--bundle", bundle.path(), "c1"});
    INFO("create: " << created.err);
    REQUIRE(created.status == 0);
    REQUIRE(env.hull({"start", "c1"}).status == 0);
    auto exec = env.hull({"exec", "c1", "grep", "Cpus_allowed_list", "/proc/self/status"});
    INFO("exec: " << exec.err);
    CHECK(exec.out == "Cpus_allowed_list:\t1\n");
    std::string init_status = hull::read_file("/proc/" + std::to_string(env.pid("c1")) + "/status");
    CHECK_THAT(init_status, !Catch::Contains("Cpus_allowed_list:\t1\n"));
    CHECK(env.hull({"delete", "--force", "c1"}).status == 0);
    CHECK(env.leaks() == "");
}

TEST_CASE("execCPUAffinity initial alone stays the exec'd process's affinity in the cgroup") {
    // initial is set before the process joins the container's cgroup; with no final it is the
    // affinity the process runs with (the kernel keeps a requested affinity across a cpuset
    // cgroup move, within the cpuset's cpus). init is not affected.
    if (::sysconf(_SC_NPROCESSORS_ONLN) < 2) {
        WARN("not run: needs two CPUs to tell a pin from none");
        return;
    }
    HullEnv env;
    auto bundle = env.bundle("b", {"sleep", "300"});
    bundle.set("/process/execCPUAffinity", R"({"initial":"1"})");
    auto created = env.hull({"run", "-d", "--bundle", bundle.path(), "c1"});
    INFO("run: " << created.err);
    REQUIRE(created.status == 0);
    auto exec = env.hull({"exec", "c1", "grep", "Cpus_allowed_list", "/proc/self/status"});
    INFO("exec: " << exec.err);
    CHECK(exec.out == "Cpus_allowed_list:\t1\n");
    std::string init_status = hull::read_file("/proc/" + std::to_string(env.pid("c1")) + "/status");
    CHECK_THAT(init_status, !Catch::Contains("Cpus_allowed_list:\t1\n"));
    CHECK(env.hull({"delete", "--force", "c1"}).status == 0);
    CHECK(env.leaks() == "");
}

TEST_CASE("ioPriority") {
    HullEnv env;
    auto out = observe(env, "ionice", [](auto& b) {
        b.set("/process/ioPriority", R"({"class":"IOPRIO_CLASS_BE","priority":6})");
    });
    CHECK_THAT(out, Catch::Contains("best-effort: prio 6"));
    CHECK(env.leaks() == "");
}
