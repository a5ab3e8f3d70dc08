// The separate-invocation lifecycle as containerd and conmon drive it.
#include <rapidjson/document.h>
#include <signal.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <thread>

#include "support/hull_env.hpp"

using hull::test::HullEnv;

TEST_CASE("create, start, state, kill, delete: the full lifecycle") {
    HullEnv env;
    auto bundle = env.bundle("b", {"sleep", "300"});
    std::string pid_file = env.dir() / "init.pid";
    auto created = env.hull({"create", "--bundle", bundle.path(), "--pid-file", pid_file, "c1"});
    REQUIRE(created.status == 0);
    CHECK(env.status("c1") == "created");
    int pid = env.pid("c1");
    CHECK(pid > 0);
    CHECK(hull::test::read_text(pid_file) == std::to_string(pid));
    // The init waits on the fifo: the user process has not run yet.
    CHECK(hull::test::read_text("/proc/" + std::to_string(pid) + "/comm") != "sleep\n");

    REQUIRE(env.hull({"start", "c1"}).status == 0);
    CHECK(env.status("c1") == "running");
    CHECK(hull::test::read_text("/proc/" + std::to_string(pid) + "/comm") == "sleep\n");

    auto state = env.hull({"state", "c1"});
    rapidjson::Document doc;
    doc.Parse(state.out.c_str());
    REQUIRE_FALSE(doc.HasParseError());
    CHECK(std::string(doc["id"].GetString()) == "c1");
    CHECK(std::string(doc["bundle"].GetString()) == bundle.path());
    CHECK(std::string(doc["ociVersion"].GetString()) == "1.3.0");

    REQUIRE(env.hull({"kill", "c1", "KILL"}).status == 0);
    CHECK(env.wait_status("c1", "stopped"));
    // As runc: a stopped container's state still has a pid member, 0.
    rapidjson::Document stopped;
    stopped.Parse(env.hull({"state", "c1"}).out.c_str());
    REQUIRE(stopped.IsObject());
    CHECK(stopped["pid"].GetInt() == 0);
    REQUIRE(env.hull({"delete", "c1"}).status == 0);
    CHECK(env.status("c1").empty());
    CHECK(env.leaks() == "");
}

TEST_CASE("run exits with the container's status, 128+N for signal N") {
    HullEnv env;
    auto bundle = env.bundle("b", {"sh", "-c", "echo out; echo err >&2; exit 7"});
    auto r = env.run(bundle);
    CHECK(r.status == 7);
    CHECK(r.out == "out\n");
    CHECK(r.err == "err\n");
    // PID 1 of a pid namespace ignores its own SIGKILL: kill it from outside.
    bundle.set_args({"sleep", "300"});
    hull::test::CommandResult killed;
    std::thread runner([&] { killed = env.run(bundle, "c2"); });
    CHECK(env.wait_status("c2", "running"));
    CHECK(env.hull({"kill", "c2", "KILL"}).status == 0);
    runner.join();
    CHECK(killed.status == 128 + SIGKILL);
    bundle.set_args({"/bin/true"});
    CHECK(env.run(bundle, "c3").status == 0);
    // run deletes what it created.
    CHECK(env.hull({"list", "-q"}).out.empty());
    CHECK(env.leaks() == "");
}

TEST_CASE("run --keep leaves the stopped container for hull delete, as in runc") {
    HullEnv env;
    auto bundle = env.bundle("b", {"sh", "-c", "exit 3"});
    auto r = env.hull({"run", "--keep", "--bundle", bundle.path(), "kept"});
    CHECK(r.status == 3);
    CHECK(env.status("kept") == "stopped");
    CHECK_THAT(env.hull({"list", "-q"}).out, Catch::Contains("kept"));
    CHECK(env.hull({"delete", "kept"}).status == 0);
    CHECK(env.status("kept") == "");
    // Without --keep it is gone once it exits.
    CHECK(env.hull({"run", "--bundle", bundle.path(), "gone"}).status == 3);
    CHECK(env.status("gone") == "");
    CHECK(env.leaks() == "");
}

TEST_CASE("run --detach leaves the container running") {
    HullEnv env;
    auto bundle = env.bundle("b", {"sleep", "300"});
    REQUIRE(env.hull({"run", "--detach", "--bundle", bundle.path(), "d1"}).status == 0);
    CHECK(env.status("d1") == "running");
    CHECK(env.hull({"delete", "d1"}).status == 1);  // not stopped
    REQUIRE(env.hull({"delete", "--force", "d1"}).status == 0);
    CHECK(env.leaks() == "");
}

TEST_CASE("commands on the wrong status fail with runc's messages") {
    HullEnv env;
    auto bundle = env.bundle("b", {"sleep", "300"});
    REQUIRE(env.hull({"run", "-d", "--bundle", bundle.path(), "c1"}).status == 0);
    auto again = env.hull({"start", "c1"});
    CHECK(again.status == 1);
    CHECK_THAT(again.err, Catch::Contains("cannot start an already running container"));
    auto not_stopped = env.hull({"delete", "c1"});
    CHECK(not_stopped.status == 1);
    CHECK_THAT(not_stopped.err, Catch::Contains("that is not stopped: running"));
    REQUIRE(env.hull({"kill", "c1", "9"}).status == 0);
    REQUIRE(env.wait_status("c1", "stopped"));
    auto kill_stopped = env.hull({"kill", "c1"});
    CHECK(kill_stopped.status == 1);
    CHECK_THAT(kill_stopped.err, Catch::Contains("container not running"));
    auto start_stopped = env.hull({"start", "c1"});
    CHECK(start_stopped.status == 1);
    CHECK_THAT(start_stopped.err, Catch::Contains("cannot start a container that has stopped"));
    REQUIRE(env.hull({"delete", "c1"}).status == 0);
    auto missing = env.hull({"delete", "c1"});
    CHECK(missing.status == 1);
    CHECK_THAT(missing.err, Catch::Contains("container does not exist"));
    CHECK(env.hull({"state", "c1"}).status == 1);
    CHECK(env.leaks() == "");
}

TEST_CASE("kill accepts names with and without SIG and numbers") {
    HullEnv env;
    auto bundle =
        env.bundle("b", {"sh", "-c", "trap 'exit 42' USR1; while true; do sleep 0.1; done"});
    for (const std::string sig : {"USR1", "SIGUSR1", "10"}) {
        std::string id = "k" + sig;
        REQUIRE(env.hull({"run", "-d", "--bundle", bundle.path(), id}).status == 0);
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        CHECK(env.hull({"kill", id, sig}).status == 0);
        CHECK(env.wait_status(id, "stopped"));
        CHECK(env.hull({"delete", id}).status == 0);
    }
    REQUIRE(env.hull({"run", "-d", "--bundle", bundle.path(), "bad"}).status == 0);
    auto bad = env.hull({"kill", "bad", "NOTASIGNAL"});
    CHECK(bad.status == 1);
    CHECK_THAT(bad.err, Catch::Contains("invalid signal"));
    CHECK(env.hull({"delete", "-f", "bad"}).status == 0);
    CHECK(env.leaks() == "");
}

TEST_CASE("kill ID 0 tells whether init is alive and sends nothing, as in runc") {
    HullEnv env;
    // A process that would end on any signal it is sent.
    auto bundle = env.bundle("b", {"sh", "-c", "trap 'exit 42' USR1 TERM; sleep 300 & wait"});
    REQUIRE(env.hull({"run", "-d", "--bundle", bundle.path(), "z"}).status == 0);
    auto alive = env.hull({"kill", "z", "0"});
    INFO(alive.err);
    CHECK(alive.status == 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    CHECK(env.status("z") == "running");
    REQUIRE(env.hull({"kill", "z", "KILL"}).status == 0);
    REQUIRE(env.wait_status("z", "stopped"));
    auto dead = env.hull({"kill", "z", "0"});
    CHECK(dead.status == 1);
    CHECK_THAT(dead.err, Catch::Contains("not running"));
    CHECK(env.hull({"delete", "z"}).status == 0);
    CHECK(env.leaks() == "");
}

TEST_CASE("delete of a created container kills its init") {
    HullEnv env;
    auto bundle = env.bundle("b", {"sleep", "300"});
    REQUIRE(env.hull({"create", "--bundle", bundle.path(), "c1"}).status == 0);
    int pid = env.pid("c1");
    REQUIRE(env.hull({"delete", "c1"}).status == 0);
    struct stat st {};
    bool gone = ::stat(("/proc/" + std::to_string(pid) + "/exe").c_str(), &st) != 0;
    CHECK(env.leaks() == "");
    (void)gone;
}

TEST_CASE("list prints a table and JSON like runc") {
    HullEnv env;
    auto bundle = env.bundle("b", {"sleep", "300"});
    bundle.set("/annotations", R"({"org.example.team":"infra"})");
    REQUIRE(env.hull({"create", "--bundle", bundle.path(), "one"}).status == 0);
    REQUIRE(env.hull({"run", "-d", "--bundle", bundle.path(), "two"}).status == 0);
    auto table = env.hull({"list"});
    REQUIRE(table.status == 0);
    CHECK(table.out.rfind("ID", 0) == 0);
    CHECK_THAT(table.out, Catch::Contains("one") && Catch::Contains("created"));
    CHECK_THAT(table.out, Catch::Contains("two") && Catch::Contains("running"));
    auto json = env.hull({"list", "--format", "json"});
    rapidjson::Document doc;
    doc.Parse(json.out.c_str());
    REQUIRE(doc.IsArray());
    CHECK(doc.Size() == 2);
    CHECK(std::string(doc[0]["id"].GetString()) == "one");
    CHECK(std::string(doc[1]["status"].GetString()) == "running");
    // runc lists each container's `state` members, annotations included.
    CHECK(doc[0]["pid"].GetInt() > 0);
    CHECK(std::string(doc[0]["annotations"]["org.example.team"].GetString()) == "infra");
    CHECK(std::string(doc[0]["rootfs"].GetString()) == bundle.path() + "/rootfs");
    CHECK(env.hull({"list", "-q"}).out == "one\ntwo\n");
    CHECK(env.hull({"delete", "-f", "one"}).status == 0);
    CHECK(env.hull({"delete", "-f", "two"}).status == 0);
    CHECK(env.leaks() == "");
}

TEST_CASE("two concurrent creates of one id: exactly one wins") {
    HullEnv env;
    auto bundle = env.bundle("b", {"sleep", "300"});
    hull::test::CommandResult a, b;
    std::thread t1([&] { a = env.hull({"create", "--bundle", bundle.path(), "same"}); });
    std::thread t2([&] { b = env.hull({"create", "--bundle", bundle.path(), "same"}); });
    t1.join();
    t2.join();
    CHECK((a.status == 0) != (b.status == 0));
    CHECK_THAT(a.err + b.err, Catch::Contains("container with id exists: same"));
    CHECK(env.hull({"delete", "-f", "same"}).status == 0);
    CHECK(env.leaks() == "");
}

TEST_CASE("exec runs a process inside the running container") {
    HullEnv env;
    auto bundle = env.bundle("b", {"sleep", "300"});
    bundle.set("/hostname", "\"inside\"");
    REQUIRE(env.hull({"run", "-d", "--bundle", bundle.path(), "c1"}).status == 0);
    auto r = env.hull({"exec", "c1", "sh", "-c", "hostname; echo $$; exit 5"});
    CHECK(r.status == 5);
    CHECK(r.out.rfind("inside\n", 0) == 0);
    // A new process in the container's pid namespace: a small pid, not the host's.
    int inner_pid = std::stoi(r.out.substr(7));
    CHECK(inner_pid < 100);

    // The exec'd process is in the container's cgroup, in every hierarchy.
    auto cg = env.hull({"exec", "c1", "cat", "/proc/self/cgroup"});
    auto init_cg = hull::test::read_text("/proc/" + std::to_string(env.pid("c1")) + "/cgroup");
    CHECK(cg.status == 0);
    CHECK_THAT(init_cg, Catch::Contains("/hull/c1"));
    CHECK_THAT(cg.out, Catch::Contains("memory:/") && Catch::Contains("pids:/"));

    std::string process = env.dir() / "process.json";
    std::ofstream(process)
        << R"({"args":["sh","-c","echo $FOO; pwd"],"cwd":"/tmp","env":["FOO=bar"],"user":{"uid":0,"gid":0}})";
    auto p = env.hull({"exec", "--process", process, "c1"});
    CHECK(p.status == 0);
    CHECK(p.out == "bar\n/tmp\n");

    std::string pid_file = env.dir() / "exec.pid";
    auto d = env.hull({"exec", "-d", "--pid-file", pid_file, "c1", "sleep", "100"});
    CHECK(d.status == 0);
    CHECK(std::stoi(hull::test::read_text(pid_file)) > 0);

    // hull's own failure is 255, as in runc: not the process's status 1.
    auto missing = env.hull({"exec", "c1", "/no/such/binary"});
    CHECK(missing.status == 255);
    auto no_container = env.hull({"exec", "nosuch", "true"});
    CHECK(no_container.status == 255);
    auto bad_pid_file = env.hull({"exec", "-d", "--pid-file", "/no/such/dir/pid", "c1", "true"});
    CHECK(bad_pid_file.status == 255);
    CHECK(env.hull({"exec", "c1", "sh", "-c", "exit 1"}).status == 1);
    CHECK_THAT(missing.err, Catch::Contains("/no/such/binary"));

    auto deleted = env.hull({"delete", "-f", "c1"});
    CHECK(deleted.err == "");
    CHECK(deleted.status == 0);
    CHECK(env.leaks() == "");
}

TEST_CASE("exec's flag form: -e, -c and -g take one value each, as in runc") {
    HullEnv env;
    auto bundle = env.bundle("b", {"sleep", "300"});
    REQUIRE(env.hull({"run", "-d", "--bundle", bundle.path(), "c1"}).status == 0);
    // Repeated, and before the id: each takes exactly its one value, so the id and the
    // command after them stay the id and the command.
    auto e = env.hull({"exec", "-e", "FOO=bar", "--env", "X=1", "c1", "sh", "-c", "echo $FOO $X"});
    INFO(e.err);
    CHECK(e.status == 0);
    CHECK(e.out == "bar 1\n");
    auto g = env.hull({"exec", "-g", "5", "--additional-gids", "7", "c1", "id", "-G"});
    INFO(g.err);
    CHECK(g.status == 0);
    CHECK(g.out == "0 5 7\n");
    auto c = env.hull({"exec", "--cap", "CAP_SYS_ADMIN", "-c", "CAP_NET_ADMIN", "c1", "sh", "-c",
                       "grep CapEff /proc/self/status"});
    INFO(c.err);
    CHECK(c.status == 0);
    // CAP_NET_ADMIN is bit 12, CAP_SYS_ADMIN bit 21.
    auto eff = std::stoull(c.out.substr(c.out.find(':') + 1), nullptr, 16);
    CHECK((eff & (1ull << 12)) != 0);
    CHECK((eff & (1ull << 21)) != 0);
    CHECK(env.hull({"delete", "-f", "c1"}).status == 0);
    CHECK(env.leaks() == "");
}

TEST_CASE("run forwards signals to the container") {
    HullEnv env;
    auto bundle =
        env.bundle("b", {"sh", "-c", "trap 'exit 42' TERM; while true; do sleep 0.1; done"});
    std::string pid_file = env.dir() / "run.pid";
    env.track("sig");
    hull::test::CommandResult r;
    std::thread runner([&] {
        r = hull::test::run_command({"sh", "-c",
                                     "echo $$ > " + pid_file + "; exec " +
                                         hull::test::hull_binary() + " --root " + env.root() +
                                         " run --bundle " + bundle.path() + " sig"});
    });
    REQUIRE(env.wait_status("sig", "running"));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    ::kill(std::stoi(hull::test::read_text(pid_file)), SIGTERM);
    runner.join();
    CHECK(r.status == 42);
    CHECK(env.leaks() == "");
}
