// One Podman of the test's own (storage, run and tmp dirs in a temp dir, its own cgroup
// parent) running containers with hull through conmon: what the Podman client tests and the
// package test share.
#pragma once

#include <rapidjson/document.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "client_host.hpp"

namespace hull::test::clients {

inline const std::string kPodmanImage = "localhost/hull-busybox:latest";

inline std::string trim(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' '))
        s.pop_back();
    return s;
}

class Podman {
  public:
    // `runtime`: the --runtime Podman is given, the hull of the build tree by path unless told
    // otherwise. `own_conf`: give Podman a containers.conf of the test's own (the host's
    // ulimits, hull by name); without it Podman reads only the host's configuration, as the
    // package test needs, and `run` passes the ulimits as flags instead.
    explicit Podman(std::string runtime = hull_binary(), bool own_conf = true)
        : runtime_(std::move(runtime)),
          own_conf_(own_conf),
          host_("hull-pod"),
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
        if (own_conf_) write_containers_conf();
        std::string tar = host_.dir() / "busybox.tar";
        make_busybox_tar(host_.dir().path(), tar);
        auto r = podman({"import", "--quiet", tar, kPodmanImage});
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
                         const std::string& runtime = "") {
        CommandOptions options;
        options.timeout_seconds = timeout;
        options.env = env();
        return run_command(argv(args, runtime.empty() ? runtime_ : runtime), options);
    }
    CommandResult podman_on_pty(const std::vector<std::string>& args) {
        CommandOptions options;
        options.env = env();
        return run_on_pty(argv(args, runtime_), options);
    }

    // `podman run` without a network (no CNI plugins needed) in this test's cgroup parent.
    std::vector<std::string> run(const std::vector<std::string>& flags,
                                 const std::vector<std::string>& command) const {
        std::vector<std::string> args = {"run", "--network", "none", "--cgroup-parent",
                                         "/" + parent_};
        if (!own_conf_) {
            for (const auto& limit : host_ulimits()) {
                args.push_back("--ulimit");
                args.push_back(limit);
            }
        }
        args.insert(args.end(), flags.begin(), flags.end());
        args.push_back(kPodmanImage);
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
        if (!own_conf_) return {};
        return {{"CONTAINERS_CONF", host_.dir() / "containers.conf"}};
    }

    // Podman's default ulimits raise nofile to 1048576 and nproc above what this host's
    // conmon may hold. Where the hard limit is lower and CAP_SYS_RESOURCE is outside the
    // capability bounding set, no runtime can grant more (setrlimit fails with EPERM): ask for
    // the host's hard limit on open files and the nproc that containers.conf tests use.
    static std::vector<std::string> host_ulimits() {
        struct rlimit nofile {};
        ::getrlimit(RLIMIT_NOFILE, &nofile);
        std::string files =
            nofile.rlim_max == RLIM_INFINITY ? "-1" : std::to_string(nofile.rlim_max);
        return {"nofile=" + files + ":" + files, "nproc=32768:32768"};
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

    std::string runtime_;
    bool own_conf_;
    ClientHost host_;
    std::string podman_, parent_;
    Scope scope_;
};

}  // namespace hull::test::clients
