// Bad input: a clear error naming the problem, exit 1, and nothing left behind — no state
// dir, no mount, no cgroup, no process — and nothing in `hull list`.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "support/hull_env.hpp"

using hull::test::BusyboxBundle;
using hull::test::HullEnv;

namespace {

struct BadCase {
    const char* name;
    std::function<void(BusyboxBundle&, HullEnv&)> setup;
    std::string id;
    const char* expected;  // fragment of the error message
    std::vector<std::string> extra_flags = {};
};

void expect_clean_failure(const BadCase& c) {
    HullEnv env;
    auto bundle = env.bundle("b", {"sleep", "300"});
    c.setup(bundle, env);
    std::vector<std::string> args = {"create", "--bundle", bundle.path()};
    args.insert(args.end(), c.extra_flags.begin(), c.extra_flags.end());
    args.push_back(c.id);
    auto r = env.hull(args);
    INFO(c.name << ": stderr was: " << r.err);
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Catch::Contains(c.expected));
    CHECK(r.err.find('\n') == r.err.size() - 1);  // one line
    CHECK(env.hull({"list", "-q"}).out == "");
    CHECK(env.leaks() == "");
}

}  // namespace

TEST_CASE("bad input leaves nothing behind") {
    const std::vector<BadCase> cases = {
        {"id with a slash", [](auto&, auto&) {}, "a/b", "invalid container id"},
        {"id ..", [](auto&, auto&) {}, "..", "invalid container id"},
        {"id with a space", [](auto&, auto&) {}, "a b", "invalid container id"},
        {"missing rootfs", [](auto& b, auto&) { b.set("/root/path", "\"nonexistent\""); }, "c1",
         "/root/path"},
        {"unreadable config", [](auto& b, auto&) { ::unlink((b.path() + "/config.json").c_str()); },
         "c1", "config.json"},
        {"config is not JSON",
         [](auto& b, auto&) { std::ofstream(b.path() + "/config.json") << "{not json"; }, "c1",
         "config.json"},
        {"unknown namespace type",
         [](auto& b, auto&) { b.set("/linux/namespaces/-", R"({"type":"netx"})"); }, "c1",
         "/linux/namespaces/"},
        {"duplicate namespace",
         [](auto& b, auto&) { b.set("/linux/namespaces/-", R"({"type":"pid"})"); }, "c1",
         "/linux/namespaces/"},
        {"namespace path that does not exist",
         [](auto& b, auto&) {
             b.set("/linux/namespaces/-", R"({"type":"network","path":"/proc/999999/ns/net"})");
             b.erase("/linux/namespaces/1");  // the original network entry
         },
         "c1", "/proc/999999/ns/net"},
        {"empty args", [](auto& b, auto&) { b.set("/process/args", "[]"); }, "c1", "/process/args"},
        {"relative cwd", [](auto& b, auto&) { b.set("/process/cwd", "\"tmp\""); }, "c1",
         "/process/cwd"},
        {"malformed capability name",
         [](auto& b, auto&) { b.set("/process/capabilities/bounding/-", "\"chown\""); }, "c1",
         "/process/capabilities/bounding/"},
        {"rlimit soft above hard",
         [](auto& b, auto&) {
             b.set("/process/rlimits", R"([{"type":"RLIMIT_NOFILE","soft":10,"hard":5}])");
         },
         "c1", "/process/rlimits/0"},
        {"unknown filesystem type",
         [](auto& b, auto&) {
             b.set("/mounts/-", R"({"destination":"/x","type":"nosuchfs","source":"none"})");
         },
         "c1", "/x"},
        {"bind mount source missing",
         [](auto& b, auto&) {
             b.set(
                 "/mounts/-",
                 R"({"destination":"/x","type":"bind","source":"/no/such/dir","options":["bind"]})");
         },
         "c1", "/no/such/dir"},
        {"createRuntime hook that does not exist",
         [](auto& b, auto&) { b.set("/hooks/createRuntime", R"([{"path":"/no/such/hook"}])"); },
         "c1", "/no/such/hook"},
        {"sysctl that does not exist",
         [](auto& b, auto&) { b.set("/linux/sysctl", R"({"net.ipv4.no_such_knob":"1"})"); }, "c1",
         "/linux/sysctl/net.ipv4.no_such_knob"},
        {"terminal without console socket",
         [](auto& b, auto&) { b.set("/process/terminal", "true"); }, "c1", "console socket"},
        {"console socket that does not exist",
         [](auto& b, auto&) { b.set("/process/terminal", "true"); },
         "c1",
         "/no/such.sock",
         {"--console-socket", "/no/such.sock"}},
        {"user namespace without mappings",
         [](auto& b, auto&) { b.set("/linux/namespaces/-", R"({"type":"user"})"); }, "c1",
         "/linux/uidMappings"},
        {"unsupported ociVersion", [](auto& b, auto&) { b.set("/ociVersion", "\"2.0.0\""); }, "c1",
         "/ociVersion"},
        {"cpuset that the host does not have",
         [](auto& b, auto&) { b.set("/linux/resources/cpu", R"({"cpus":"99"})"); }, "c1", "cpus"},
        {"pid file in a directory that does not exist",
         [](auto&, auto&) {},
         "c1",
         "/no/such/dir",
         {"--pid-file", "/no/such/dir/pid"}},
        {"a bind mount option hull does not apply (a typo)",
         [](auto& b, auto&) {
             b.set(
                 "/mounts/-",
                 R"({"destination":"/mnt","type":"bind","source":"/tmp","options":["rbind","noexce"]})");
         },
         "c1", "/options/1: \"noexce\" is not an option hull applies to a bind mount"},
        {"intelRdt, which hull cannot apply",
         [](auto& b, auto&) { b.set("/linux/intelRdt", R"({"closID":"c1"})"); }, "c1",
         "/linux/intelRdt: not supported"},
        {"netDevices naming a device the host does not have",
         [](auto& b, auto&) { b.set("/linux/netDevices", R"({"veth0":{"name":"eth1"}})"); }, "c1",
         "/linux/netDevices/veth0: no network device"},
        {"--console-buffer on an application container",
         [](auto&, auto&) {},
         "c1",
         "--console-buffer: only for a system container",
         {"--console-buffer", "64K"}},
        {"--reboot-limit on an application container",
         [](auto&, auto&) {},
         "c1",
         "--reboot-limit: only for a system container",
         {"--reboot-limit", "3"}},
        {"createContainer hook that fails",
         [](auto& b, auto&) {
             b.set("/hooks/createContainer",
                   R"([{"path":"/bin/sh","args":["sh","-c","echo broken >&2; exit 3"]}])");
         },
         "c1", "broken"},
        {"apparmorProfile on a host without AppArmor",
         [](auto& b, auto&) { b.set("/process/apparmorProfile", "\"hull-test\""); }, "c1",
         "AppArmor"},
        {"mount destination that is relative",
         [](auto& b, auto&) {
             b.set("/mounts/-", R"({"destination":"relative","type":"tmpfs","source":"tmpfs"})");
         },
         "c1", "/mounts/"},
    };
    for (const auto& c : cases) {
        SECTION(c.name) {
            expect_clean_failure(c);
        }
    }
}

TEST_CASE("creating an id that exists fails and keeps the first container") {
    HullEnv env;
    auto bundle = env.bundle("b", {"sleep", "300"});
    REQUIRE(env.hull({"create", "--bundle", bundle.path(), "dup"}).status == 0);
    auto again = env.hull({"create", "--bundle", bundle.path(), "dup"});
    CHECK(again.status == 1);
    CHECK_THAT(again.err, Catch::Contains("container with id exists: dup"));
    CHECK(env.status("dup") == "created");
    CHECK(env.hull({"delete", "dup"}).status == 0);
    CHECK(env.leaks() == "");
}

TEST_CASE("a mount destination that is a symlink out of the rootfs stays inside it") {
    HullEnv env;
    hull::test::TempDir host("hull-escape");
    auto bundle = env.bundle("b", {"sh", "-c", "echo inside > /escape/marker"});
    // /escape -> <host dir>: RESOLVE_IN_ROOT re-roots it to <rootfs>/<host dir>.
    REQUIRE(::symlink(host.path().c_str(), (bundle.rootfs() + "/escape").c_str()) == 0);
    bundle.set("/mounts/-", R"({"destination":"/escape","type":"tmpfs","source":"tmpfs"})");
    auto r = env.run(bundle);
    INFO(r.err);
    CHECK(::access((host / "marker").c_str(), F_OK) != 0);
    struct stat st {};
    CHECK(::stat((host.path()).c_str(), &st) == 0);
    CHECK(env.leaks() == "");
}

TEST_CASE("an unknown capability is a warning, as config.md requires, not a failure") {
    HullEnv env;
    auto bundle = env.bundle("b", {"/bin/true"});
    bundle.set("/process/capabilities/bounding/-", "\"CAP_FLY\"");
    auto r = env.run(bundle);
    CHECK(r.status == 0);
    CHECK_THAT(r.err, Catch::Contains("CAP_FLY") && Catch::Contains("level=warning"));
    CHECK(env.leaks() == "");
}
