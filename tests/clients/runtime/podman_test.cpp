// Podman 4.3 drives hull through conmon, as it would crun or runc: `podman --runtime <hull>`
// makes conmon call hull without global flags (state in hull's default --root, /run/hull) for
// create --pid-file [--console-socket], start, exec --process --detach [--tty
// --console-socket], kill, pause, resume and delete --force; Podman itself calls --version.
// Each test has its own storage, run and tmp dirs in a temp dir and its own cgroup parent.
#include <rapidjson/document.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "client_host.hpp"
#include "podman_fixture.hpp"

using hull::test::CommandOptions;
using hull::test::CommandResult;
using hull::test::hull_binary;
using hull::test::read_text;
using hull::test::run_command;
using namespace hull::test::clients;

TEST_CASE("podman run --rm: output and exit status of the container reach podman") {
    Podman pd;
    auto hi = pd.podman(pd.run({"--rm"}, {"echo", "hi"}));
    INFO(hi.err);
    CHECK(hi.status == 0);
    CHECK(hi.out == "hi\n");

    auto seven = pd.podman(pd.run({"--rm"}, {"sh", "-c", "echo out; echo err >&2; exit 7"}));
    CHECK(seven.status == 7);
    CHECK(seven.out == "out\n");
    CHECK_THAT(seven.err, Catch::Contains("err\n"));

    CHECK(pd.podman({"ps", "--all", "--quiet"}).out == "");
    CHECK(pd.container_ids().size() == 2);
    CHECK(pd.leaks() == "");
}

TEST_CASE("podman run: the ulimits of containers.conf are the container's rlimits") {
    Podman pd;
    auto r = pd.podman(pd.run({"--rm"}, {"sh", "-c", "ulimit -Sn; ulimit -Hn; ulimit -u"}));
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK(r.out == "20000\n20000\n32768\n");
    CHECK(pd.leaks() == "");
}

TEST_CASE("podman run -d, exec, exec -t, pause, unpause, stop, restart, rm") {
    Podman pd;
    // TERM (podman stop) ends it with status 0; PID 1 ignores signals it does not handle.
    auto run =
        pd.podman(pd.run({"-d", "--name", "life"},
                         {"sh", "-c", "trap 'exit 0' TERM; echo started; sleep 1000 & wait"}));
    INFO(run.err);
    REQUIRE(run.status == 0);
    CHECK(trim(run.out).size() == 64);
    CHECK(pd.inspect("life", "{{.State.Status}}") == "running");
    int pid = std::atoi(pd.inspect("life", "{{.State.Pid}}").c_str());
    REQUIRE(pid > 0);

    auto exec = pd.podman({"exec", "life", "sh", "-c", "echo in-$0; exit 4"});
    CHECK(exec.status == 4);
    CHECK(exec.out == "in-sh\n");

    auto tty = pd.podman_on_pty({"exec", "-t", "life", "sh", "-c", "[ -t 1 ] && tty; exit 6"});
    INFO(tty.out);
    CHECK(tty.status == 6);
    CHECK_THAT(tty.out, Catch::Contains("/dev/pts/"));

    REQUIRE(pd.podman({"pause", "life"}).status == 0);
    CHECK(pd.inspect("life", "{{.State.Status}}") == "paused");
    CHECK(frozen(pid));
    REQUIRE(pd.podman({"unpause", "life"}).status == 0);
    CHECK(pd.inspect("life", "{{.State.Status}}") == "running");
    CHECK_FALSE(frozen(pid));

    auto stop = pd.podman({"stop", "life"});
    CHECK(stop.status == 0);
    CHECK(pd.inspect("life", "{{.State.Status}}") == "exited");
    CHECK(pd.inspect("life", "{{.State.ExitCode}}") == "0");

    REQUIRE(pd.podman({"restart", "life"}).status == 0);
    CHECK(pd.inspect("life", "{{.State.Status}}") == "running");
    CHECK(wait_until([&] { return pd.podman({"logs", "life"}).out == "started\nstarted\n"; }));

    CHECK(pd.podman({"stop", "life"}).status == 0);
    CHECK(pd.podman({"rm", "life"}).status == 0);
    CHECK(pd.podman({"ps", "--all", "--quiet"}).out == "");
    CHECK(pd.leaks() == "");
}

TEST_CASE("podman run -t: the pty from create --console-socket is the container's terminal") {
    Podman pd;
    auto r = pd.podman_on_pty(
        pd.run({"--rm", "-t"}, {"sh", "-c", "[ -t 0 ] && [ -t 1 ] && tty; exit 5"}));
    INFO(r.out);
    CHECK(r.status == 5);
    CHECK_THAT(r.out, Catch::Contains("/dev/pts/0"));
    CHECK(pd.leaks() == "");
}

TEST_CASE("podman --runtime hull: found by name in containers.conf, reports hull's version") {
    Podman pd;
    auto info = pd.podman({"info", "--format", "{{.Host.OCIRuntime.Version}}"}, 120, "hull");
    INFO(info.err);
    CHECK(info.status == 0);
    CHECK_THAT(info.out, Catch::StartsWith("hull version "));
    auto r = pd.podman(pd.run({"--rm"}, {"echo", "by name"}), 120, "hull");
    CHECK(r.status == 0);
    CHECK(r.out == "by name\n");
    CHECK(pd.leaks() == "");
}
