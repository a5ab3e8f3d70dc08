// Command-line flags that change a container or an exec'd process, each run through `hull` and
// observed from inside the container or from the host (issue 17's flag audit).
#include <rapidjson/document.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "base/file.hpp"
#include "support/hull_env.hpp"

using hull::test::HullEnv;

namespace {

void sleep_ms(int ms) {
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

// The lines of the container's /proc/keys that name a keyring "_ses.<id>": the session
// keyring hull joins for the container unless --no-new-keyring. The container writes them to
// its rootfs, so that create/start (whose output nobody reads) can be checked too.
std::string session_keyrings(HullEnv& env, const std::string& id, bool via_create,
                             bool no_new_keyring) {
    auto bundle = env.bundle(id, {"sh", "-c", "grep -c '_ses\\." + id + ": ' /proc/keys > /keys"});
    bundle.set("/root/readonly", "false");
    bundle.set("/linux/maskedPaths", "[]");  // the default masks /proc/keys
    std::vector<std::string> flags = {"--bundle", bundle.path()};
    if (no_new_keyring) flags.push_back("--no-new-keyring");
    flags.push_back(id);
    if (via_create) {
        std::vector<std::string> create = {"create"};
        create.insert(create.end(), flags.begin(), flags.end());
        auto created = env.hull(create);
        INFO("create: " << created.err);
        REQUIRE(created.status == 0);
        REQUIRE(env.hull({"start", id}).status == 0);
        CHECK(env.wait_status(id, "stopped"));
        CHECK(env.hull({"delete", id}).status == 0);
    } else {
        std::vector<std::string> run = {"run"};
        run.insert(run.end(), flags.begin(), flags.end());
        auto r = env.hull(run);
        INFO("run: " << r.err);
        // grep -c exits 1 when it counts nothing.
        CHECK((r.status == 0 || r.status == 1));
    }
    std::string count = hull::read_file(bundle.rootfs() + "/keys");
    while (!count.empty() && count.back() == '\n')
        count.pop_back();
    return count;
}

// One letter per process: the state field of /proc/<pid>/stat.
char process_state(const std::string& pid) {
    std::string stat = hull::read_file("/proc/" + pid + "/stat");
    auto close = stat.rfind(')');
    return close == std::string::npos || close + 2 >= stat.size() ? '?' : stat[close + 2];
}

std::vector<std::string> container_pids(HullEnv& env, const std::string& id) {
    auto json = env.hull({"ps", "--format", "json", id});
    REQUIRE(json.status == 0);
    std::vector<std::string> pids;
    std::string digits;
    for (char c : json.out) {
        if (c >= '0' && c <= '9') {
            digits += c;
        } else if (!digits.empty()) {
            pids.push_back(digits);
            digits.clear();
        }
    }
    return pids;
}

// Waits (bounded) until every pid is in state `want` ('T' stopped); returns the states.
std::string states_when(const std::vector<std::string>& pids, char want) {
    std::string states;
    for (int i = 0; i < 100; ++i) {
        states.clear();
        for (const auto& pid : pids)
            states += process_state(pid);
        if (states.find_first_not_of(want) == std::string::npos) break;
        sleep_ms(50);
    }
    return states;
}

bool lsm_enabled(const std::string& which) {
    if (which == "apparmor") {
        std::string enabled;
        try {
            enabled = hull::read_file("/sys/module/apparmor/parameters/enabled");
        } catch (const std::exception&) {
        }
        return enabled.rfind("Y", 0) == 0;
    }
    return ::access("/sys/fs/selinux/enforce", F_OK) == 0;
}

}  // namespace

TEST_CASE("create and run --no-new-keyring keep the caller's session keyring") {
    // Without the flag the container's init joins a fresh session keyring named _ses.<id>
    // (runc's name), which /proc/keys inside shows; with it, init keeps the one it inherits.
    HullEnv env;
    CHECK(session_keyrings(env, "kr-run", false, false) == "1");
    CHECK(session_keyrings(env, "kr-run-nk", false, true) == "0");
    CHECK(session_keyrings(env, "kr-create", true, false) == "1");
    CHECK(session_keyrings(env, "kr-create-nk", true, true) == "0");
    CHECK(env.leaks() == "");
}

TEST_CASE("kill --all sends the signal to every process in the container, kill to init alone") {
    HullEnv env;
    auto bundle = env.bundle("b", {"sh", "-c", "sleep 300 & sleep 301 & wait"});
    REQUIRE(env.hull({"run", "-d", "--bundle", bundle.path(), "ka"}).status == 0);
    std::vector<std::string> pids;
    for (int i = 0; i < 100 && pids.size() < 3; ++i) {
        sleep_ms(50);
        pids = container_pids(env, "ka");
    }
    REQUIRE(pids.size() == 3);
    const std::string init = std::to_string(env.pid("ka"));

    // Without --all: init stops, its two children sleep on.
    REQUIRE(env.hull({"kill", "ka", "STOP"}).status == 0);
    CHECK(states_when({init}, 'T') == "T");
    sleep_ms(200);
    for (const auto& pid : pids)
        if (pid != init) CHECK(process_state(pid) == 'S');
    REQUIRE(env.hull({"kill", "ka", "CONT"}).status == 0);
    CHECK(states_when({init}, 'S') == "S");

    // With --all: all three stop.
    REQUIRE(env.hull({"kill", "--all", "ka", "STOP"}).status == 0);
    CHECK(states_when(pids, 'T') == "TTT");
    REQUIRE(env.hull({"kill", "--all", "ka", "CONT"}).status == 0);
    CHECK(states_when(pids, 'S') == "SSS");

    CHECK(env.hull({"delete", "--force", "ka"}).status == 0);
    CHECK(env.leaks() == "");
}

TEST_CASE("exec --cwd and --no-new-privs change the exec'd process, not the config's") {
    HullEnv env;
    auto bundle = env.bundle("b", {"sleep", "300"});
    bundle.set("/process/noNewPrivileges", "false");
    bundle.set("/process/cwd", R"("/")");
    REQUIRE(env.hull({"run", "-d", "--bundle", bundle.path(), "ex"}).status == 0);

    auto plain = env.hull({"exec", "ex", "sh", "-c", "pwd; grep NoNewPrivs /proc/self/status"});
    INFO("exec: " << plain.err);
    CHECK(plain.status == 0);
    CHECK(plain.out == "/\nNoNewPrivs:\t0\n");

    auto flagged = env.hull({"exec", "--cwd", "/tmp", "--no-new-privs", "ex", "sh", "-c",
                             "pwd; grep NoNewPrivs /proc/self/status"});
    INFO("exec --cwd --no-new-privs: " << flagged.err);
    CHECK(flagged.status == 0);
    CHECK(flagged.out == "/tmp\nNoNewPrivs:\t1\n");

    // A cwd that is not there is an error, not a silent "/".
    auto missing = env.hull({"exec", "--cwd", "/no/such/dir", "ex", "pwd"});
    CHECK(missing.status != 0);
    CHECK_THAT(missing.err, Catch::Contains("/no/such/dir"));

    CHECK(env.hull({"delete", "--force", "ex"}).status == 0);
    CHECK(env.leaks() == "");
}

TEST_CASE("exec --preserve-fds passes extra fds to the exec'd process, and no others") {
    HullEnv env;
    auto bundle = env.bundle("b", {"sleep", "300"});
    REQUIRE(env.hull({"run", "-d", "--bundle", bundle.path(), "pf"}).status == 0);
    hull::test::TempDir tmp("hull-fd");
    std::ofstream(tmp / "msg") << "via fd 3";
    auto exec = [&](const std::string& flag) {
        return hull::test::run_command(
            {"sh", "-c",
             hull::test::hull_binary() + " --root " + env.root() + " exec " + flag +
                 " pf sh -c 'ls /proc/self/fd | sort -n | tr \"\\n\" \" \"; cat <&3' 3<" +
                 (tmp / "msg")});
    };
    auto passed = exec("--preserve-fds 1");
    INFO("with: " << passed.err);
    CHECK(passed.status == 0);
    // 0 1 2 3 and the fd ls opens for /proc/self/fd.
    CHECK(passed.out == "0 1 2 3 4 via fd 3");

    auto closed = exec("");
    INFO("without: " << closed.err);
    CHECK(closed.status != 0);
    CHECK(closed.out == "0 1 2 3 ");

    CHECK(env.hull({"delete", "--force", "pf"}).status == 0);
    CHECK(env.leaks() == "");
}

TEST_CASE("exec --apparmor and --process-label are applied, or refused where the LSM is off") {
    // As /process/apparmorProfile and /process/selinuxLabel are: a label that cannot be
    // applied fails the exec, naming it; it never runs the process unconfined.
    HullEnv env;
    auto bundle = env.bundle("b", {"sleep", "300"});
    REQUIRE(env.hull({"run", "-d", "--bundle", bundle.path(), "lsm"}).status == 0);

    auto apparmor = env.hull({"exec", "--apparmor", "hull-no-such-profile", "lsm", "echo", "ran"});
    CHECK(apparmor.status != 0);
    CHECK(apparmor.out == "");
    CHECK_THAT(apparmor.err, Catch::Contains("hull-no-such-profile"));
    if (!lsm_enabled("apparmor"))
        CHECK_THAT(apparmor.err, Catch::Contains("--apparmor") &&
                                     Catch::Contains("AppArmor is not enabled on this host"));

    auto label = env.hull(
        {"exec", "--process-label", "system_u:system_r:hull_no_such_t:s0", "lsm", "echo", "ran"});
    CHECK(label.status != 0);
    CHECK(label.out == "");
    CHECK_THAT(label.err, Catch::Contains("hull_no_such_t"));
    if (!lsm_enabled("selinux"))
        CHECK_THAT(label.err, Catch::Contains("--process-label") &&
                                  Catch::Contains("SELinux is not enabled on this host"));

    // The container is untouched: a plain exec still works.
    CHECK(env.hull({"exec", "lsm", "echo", "ran"}).out == "ran\n");
    CHECK(env.hull({"delete", "--force", "lsm"}).status == 0);
    CHECK(env.leaks() == "");
}

TEST_CASE("events --stats prints one stats object of the container's cgroup and exits") {
    HullEnv env;
    auto bundle = env.bundle("b", {"sh", "-c", "sleep 300 & sleep 301 & wait"});
    bundle.set("/linux/resources/pids", R"({"limit":42})");
    bundle.set("/linux/resources/memory", R"({"limit":67108864})");
    REQUIRE(env.hull({"run", "-d", "--bundle", bundle.path(), "st"}).status == 0);
    for (int i = 0; i < 100 && container_pids(env, "st").size() < 3; ++i)
        sleep_ms(50);

    auto stats = env.hull({"events", "--stats", "st"}, {.timeout_seconds = 20});
    INFO("events --stats: " << stats.err);
    REQUIRE(stats.status == 0);
    // One line: one object, then exit (without --stats it would go on until the container
    // stops, and the timeout above would kill it).
    REQUIRE(!stats.out.empty());
    CHECK(stats.out.find('\n') == stats.out.size() - 1);
    rapidjson::Document doc;
    doc.Parse(stats.out.c_str());
    REQUIRE(!doc.HasParseError());
    CHECK(std::string(doc["type"].GetString()) == "stats");
    CHECK(std::string(doc["id"].GetString()) == "st");
    const auto& data = doc["data"];
    CHECK(data["pids"]["current"].GetUint64() == 3);
    CHECK(data["pids"]["limit"].GetUint64() == 42);
    CHECK(data["memory"]["usage"]["limit"].GetUint64() == 67108864);
    CHECK(data["memory"]["usage"]["usage"].GetUint64() > 0);
    CHECK(data["cpu"]["usage"]["total"].GetUint64() > 0);

    CHECK(env.hull({"delete", "--force", "st"}).status == 0);
    auto gone = env.hull({"events", "--stats", "st"});
    CHECK(gone.status != 0);
    CHECK(env.leaks() == "");
}
