// One containerd of the test's own, with hull as its runc shim's runtime: what the containerd
// client tests and the package test share.
#pragma once

#include <fstream>
#include <memory>
#include <sstream>

#include "client_host.hpp"
#include "support/busybox_bundle.hpp"

namespace hull::test::clients {

inline const std::string kContainerdImage = "localhost/hull-busybox:latest";

// One containerd of our own: its root, state, sockets, plugin dirs and hull's --root are in
// the temp dir; the CRI plugin is off (it would want CNI and a sandbox image). Its containers
// live in a namespace named after the temp dir, so their cgroups are /<namespace>/<id>.
class Containerd {
  public:
    // `runtime`: what the shim runs as runc, the hull of the build tree unless told otherwise
    // (the package test: the installed /usr/bin/hull).
    explicit Containerd(std::string runtime = hull_binary())
        : runtime_(std::move(runtime)),
          host_("hull-ctd"),
          containerd_(require_program("containerd", "containerd")),
          ctr_(require_program("ctr", "containerd")),
          ns_("hull-ctd-" + host_.suffix()),
          socket_(host_.dir() / "containerd.sock"),
          hull_root_(host_.dir() / "hull-root") {
        require_program("containerd-shim-runc-v2", "containerd");
        require_program("umoci", "umoci");
        scope_.hull_root = hull_root_ + "/" + ns_;  // the shim adds the namespace
        scope_.whole_root = true;
        scope_.cgroup_parent = ns_;
        host_.set_cleanup_scope(scope_);
        // The shims' sockets are in /run/containerd/s whatever the config says.
        host_.watch_dir("/run/containerd/s");
        write_config();
        daemon_ = std::make_unique<Daemon>(
            std::vector<std::string>{containerd_, "--config", host_.dir() / "config.toml"},
            log_path());
        bool up = wait_until([&] { return !daemon_->alive() || ctr({"version"}).status == 0; });
        if (!up || !daemon_->alive())
            throw std::runtime_error("containerd did not come up:\n" + log_tail());
        scope_.daemons = {daemon_->pid()};
        import_busybox();
    }

    ~Containerd() {
        // A failed test may have left tasks and containers: remove them through containerd
        // first, as a user would, then stop it; ClientHost kills and unmounts what is left.
        if (daemon_ && daemon_->alive()) {
            auto tasks = ctr({"task", "ls", "-q"}, 30);
            std::stringstream ids(tasks.out);
            for (std::string id; ids >> id;)
                ctr({"task", "delete", "--force", id}, 30);
            auto containers = ctr({"container", "ls", "-q"}, 30);
            std::stringstream cids(containers.out);
            for (std::string id; cids >> id;)
                ctr({"container", "delete", id}, 30);
        }
        daemon_.reset();
    }

    CommandResult ctr(const std::vector<std::string>& args, int timeout = 120) {
        CommandOptions options;
        options.timeout_seconds = timeout;
        return run_command(argv(args), options);
    }
    CommandResult ctr_on_pty(const std::vector<std::string>& args) {
        return run_on_pty(argv(args));
    }

    // `ctr run` with hull as the shim's runtime and its state in the temp dir.
    std::vector<std::string> run(const std::vector<std::string>& flags, const std::string& id,
                                 const std::vector<std::string>& command) {
        std::vector<std::string> args = {
            "run",        "--runc-binary",     runtime_, "--runc-root", hull_root_,
            "--fifo-dir", host_.dir() / "fifo"};
        args.insert(args.end(), flags.begin(), flags.end());
        args.push_back(kContainerdImage);
        args.push_back(id);
        args.insert(args.end(), command.begin(), command.end());
        return args;
    }
    std::vector<std::string> exec(const std::vector<std::string>& flags, const std::string& id,
                                  const std::vector<std::string>& command) {
        std::vector<std::string> args = {"task", "exec", "--fifo-dir", host_.dir() / "fifo"};
        args.insert(args.end(), flags.begin(), flags.end());
        args.push_back(id);
        args.insert(args.end(), command.begin(), command.end());
        return args;
    }

    // The task's status (RUNNING, PAUSED, STOPPED, ...) and pid from `ctr task ls`.
    std::pair<std::string, int> task(const std::string& id) {
        std::stringstream lines(ctr({"task", "ls"}).out);
        std::string line;
        while (std::getline(lines, line)) {
            std::stringstream fields(line);
            std::string name, status;
            int pid = 0;
            if (fields >> name >> pid >> status && name == id) return {status, pid};
        }
        return {"", 0};
    }

    std::string leaks() { return host_.leaks(scope_); }
    std::string log_path() const { return host_.dir() / "containerd.log"; }
    std::string log_tail() const {
        std::string log = read_text(log_path());
        return log.size() > 4000 ? log.substr(log.size() - 4000) : log;
    }

  private:
    std::vector<std::string> argv(const std::vector<std::string>& args) const {
        std::vector<std::string> out = {ctr_, "--address", socket_, "--namespace", ns_};
        out.insert(out.end(), args.begin(), args.end());
        return out;
    }

    void write_config() {
        const std::string& d = host_.dir().path();
        std::ofstream f(d + "/config.toml");
        f << "version = 2\n"
          << "root = \"" << d << "/root\"\n"
          << "state = \"" << d << "/state\"\n"
          << "disabled_plugins = [\"io.containerd.grpc.v1.cri\"]\n"
          << "[grpc]\n  address = \"" << socket_ << "\"\n"
          << "[ttrpc]\n  address = \"" << socket_
          << ".ttrpc\"\n"
          // The opt plugin would make /opt/containerd otherwise.
          << "[plugins.\"io.containerd.internal.v1.opt\"]\n  path = \"" << d << "/opt\"\n";
        if (!f) throw std::runtime_error("cannot write config.toml");
    }

    // An OCI image layout made with umoci from a busybox rootfs, tarred, and imported: the
    // image path a registry pull would take, without a registry.
    void import_busybox() {
        const std::string& d = host_.dir().path();
        hull::test::make_busybox_rootfs(d + "/image-rootfs");
        std::string layout = d + "/oci";
        for (const auto& step : std::vector<std::vector<std::string>>{
                 {"umoci", "init", "--layout", layout},
                 {"umoci", "new", "--image", layout + ":latest"},
                 {"umoci", "insert", "--image", layout + ":latest", d + "/image-rootfs", "/"},
                 {"umoci", "config", "--image", layout + ":latest", "--config.cmd", "sh"},
                 {"tar", "-C", layout, "-cf", d + "/busybox-oci.tar", "."}}) {
            auto r = run_command(step);
            if (r.status != 0)
                throw std::runtime_error(step[0] + " " + step[1] + " failed: " + r.err);
        }
        auto r = ctr(
            {"image", "import", "--base-name", "localhost/hull-busybox", d + "/busybox-oci.tar"});
        if (r.status != 0 ||
            ctr({"image", "ls", "-q"}).out.find(kContainerdImage) == std::string::npos)
            throw std::runtime_error("ctr image import failed: " + r.out + r.err);
    }

    std::string runtime_;
    ClientHost host_;
    std::string containerd_, ctr_, ns_, socket_, hull_root_;
    Scope scope_;
    std::unique_ptr<Daemon> daemon_;
};

}  // namespace hull::test::clients
