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

using hull::test::CommandOptions;
using hull::test::CommandResult;
using hull::test::hull_binary;
using hull::test::read_text;
using hull::test::run_command;
using namespace hull::test::clients;

namespace {

const std::string kImage = "localhost/hull-busybox:latest";

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' '))
        s.pop_back();
    return s;
}

class Podman {
  public:
    Podman()
        : host_("hull-pod"),
          podman_(require_program("podman", "podman")),
          parent_("hull-pod-" + host_.suffix()) {
        require_program("conmon", "conmon");
        // conmon passes hull no --root, so the containers' state is in hull's default root.
        // Podman's container ids (64 hex digits, from this test's events log) say which
        // entries there are this test's.
        scope_.hull_root = "/run/hull";
        scope_.cgroup_parent = parent_;
        // Podman puts conmon into <parent>/conmon and never removes it; hull did not make it.
        scope_.client_cgroups = {"conmon"};
        host_.set_cleanup_scope(scope_);
        write_containers_conf();
        std::string tar = host_.dir() / "busybox.tar";
        make_busybox_tar(host_.dir().path(), tar);
        auto r = podman({"import", "--quiet", tar, kImage});
        if (r.status != 0) throw std::runtime_error("podman import failed: " + r.err);
    }

    ~Podman() {
        // A failed test may have left containers: remove them through Podman, as a user
        // would, then any state hull still has for them; ClientHost does the rest.
        podman({"rm", "--all", "--force", "--time", "0"}, 60);
        for (const auto& id : container_ids())
            if (::access(("/run/hull/" + id).c_str(), F_OK) == 0)
                run_command({hull_binary(), "delete", "--force", id});
    }

    CommandResult podman(const std::vector<std::string>& args, int timeout = 120,
                         const std::string& runtime = hull_binary()) {
        CommandOptions options;
        options.timeout_seconds = timeout;
        options.env = env();
        return run_command(argv(args, runtime), options);
    }
    CommandResult podman_on_pty(const std::vector<std::string>& args) {
        CommandOptions options;
        options.env = env();
        return run_on_pty(argv(args, hull_binary()), options);
    }

    // `podman run` without a network (no CNI plugins needed) in this test's cgroup parent.
    std::vector<std::string> run(const std::vector<std::string>& flags,
                                 const std::vector<std::string>& command) const {
        std::vector<std::string> args = {"run", "--network", "none", "--cgroup-parent",
                                         "/" + parent_};
        args.insert(args.end(), flags.begin(), flags.end());
        args.push_back(kImage);
        args.insert(args.end(), command.begin(), command.end());
        return args;
    }

    std::string inspect(const std::string& name, const std::string& format) {
        return trim(podman({"inspect", "--format", format, name}).out);
    }

    // Every container this test's Podman created, from its events log.
    std::set<std::string> container_ids() const {
        std::set<std::string> ids;
        std::stringstream lines(read_text(host_.dir() / "tmp/events/events.log"));
        std::string line;
        while (std::getline(lines, line)) {
            rapidjson::Document event;
            event.Parse(line.c_str());
            if (event.HasParseError() || !event.IsObject() || !event.HasMember("ID") ||
                !event.HasMember("Type") || !event["ID"].IsString() || !event["Type"].IsString())
                continue;
            if (std::string(event["Type"].GetString()) == "container")
                ids.insert(event["ID"].GetString());
        }
        return ids;
    }

    std::string leaks() {
        scope_.ids = container_ids();
        return host_.leaks(scope_);
    }

  private:
    std::map<std::string, std::string> env() const {
        return {{"CONTAINERS_CONF", host_.dir() / "containers.conf"}};
    }

    std::vector<std::string> argv(const std::vector<std::string>& args,
                                  const std::string& runtime) const {
        const auto& d = host_.dir();
        std::vector<std::string> out = {
            podman_,    "--root",           d / "storage", "--runroot",
            d / "run",  "--tmpdir",         d / "tmp",     "--cgroup-manager",
            "cgroupfs", "--events-backend", "file",        "--runtime",
            runtime};
        out.insert(out.end(), args.begin(), args.end());
        return out;
    }

    void write_containers_conf() {
        std::ofstream f(host_.dir() / "containers.conf");
        f << "[containers]\n"
          << "# Podman's default ulimits raise nofile to 1048576. This host's hard limit on open\n"
          << "# files is 20000 and CAP_SYS_RESOURCE is not in its capability bounding set, so\n"
          << "# no runtime can grant more (setrlimit fails with EPERM): ask for what it has.\n"
          << "default_ulimits = [\"nofile=20000:20000\", \"nproc=32768:32768\"]\n"
          << "\n"
          << "[engine.runtimes]\n"
          << "# `--runtime hull` by name, as a host would list /usr/local/bin/hull here.\n"
          << "hull = [\"" << hull_binary() << "\"]\n";
        if (!f) throw std::runtime_error("cannot write containers.conf");
    }

    ClientHost host_;
    std::string podman_, parent_;
    Scope scope_;
};

}  // namespace

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
