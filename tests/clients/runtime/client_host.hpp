// What the client tests share: a background daemon, commands on a pseudo-terminal, and one
// test's view of the host (what it may leave behind, and the forced cleanup when it fails).
//
// These tests do not make themselves a child subreaper (HullEnv does): containerd's shims and
// conmon daemonize, and on a real host they are reparented to init, not to their caller.
#pragma once

#include <sys/types.h>

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "base/unique_fd.hpp"
#include "support/command.hpp"
#include "support/host_snapshot.hpp"
#include "support/temp_dir.hpp"

namespace hull::test::clients {

// The absolute path of a program found in PATH (plus the sbin directories), or "".
std::string find_program(const std::string& name);
// find_program, or an exception telling which Debian package to install.
std::string require_program(const std::string& name, const std::string& package);

// Polls `done` every 50 ms for at most `seconds`: a bound on waiting for a condition, not a
// measured time. Returns done()'s last answer.
bool wait_until(const std::function<bool()>& done, int seconds = 30);

// A long-running program started by the test (containerd), its output in a log file.
// Stopped (SIGTERM, then SIGKILL) and reaped by the destructor at the latest.
class Daemon {
  public:
    Daemon(const std::vector<std::string>& argv, const std::string& log_path);
    ~Daemon();
    Daemon(const Daemon&) = delete;
    Daemon& operator=(const Daemon&) = delete;

    pid_t pid() const { return pid_; }
    bool alive() const;
    // Idempotent. Returns true when it exited on SIGTERM.
    bool stop();

  private:
    pid_t pid_ = -1;
    unique_fd pidfd_;
};

// Runs argv in a new session whose stdin, stdout and stderr are a new pseudo-terminal, as
// from an interactive shell (`ctr -t` insists on one). `out` holds what the terminal showed
// (with the terminal's \r\n), `err` stays empty.
CommandResult run_on_pty(const std::vector<std::string>& argv, const CommandOptions& options = {});

// Whether the cgroup freezer holds the process (v1 freezer hierarchy, or cgroup2).
bool frozen(pid_t pid);

// What belongs to one test, for the leak check and the forced cleanup.
struct Scope {
    std::string hull_root;                 // hull's --root for this test's containers
    bool whole_root = false;               // every entry under hull_root is this test's
    std::set<std::string> ids;             // otherwise: the container ids that are this test's
    std::string cgroup_parent;             // relative to each hierarchy, e.g. "hull-ctd-Ab12Cd"
    std::set<std::string> client_cgroups;  // children of it made by the client, not by hull
    std::set<pid_t> daemons;               // the test's own daemons: alive on purpose
};

// One test's temp dir and a snapshot of the host taken when it was made.
class ClientHost {
  public:
    explicit ClientHost(const std::string& prefix);
    ~ClientHost();
    ClientHost(const ClientHost&) = delete;
    ClientHost& operator=(const ClientHost&) = delete;

    const TempDir& dir() const { return tmp_; }
    // The temp dir's random suffix: unique names for namespaces and cgroups.
    std::string suffix() const;

    // Everything this test left ("" when nothing): mounts, processes, state dirs, cgroups,
    // files under `watched_dirs` that were not there at the start. Clients finish some of
    // their cleanup in the background (conmon's exit command, a shim's last delete), so it
    // waits up to 30 s for the report to become empty and returns the last one.
    std::string leaks(const Scope& scope);

    // Directories outside the temp dir that the clients use for their own files (containerd's
    // shim sockets): an entry that appears there during the test and stays is a leak.
    void watch_dir(const std::string& path);

    // Thaws and kills every process of the scope (its cgroups, its temp dir), unmounts what is
    // mounted under the temp dir, removes the cgroups. Run by the destructor, after the
    // clients' own cleanup; the temp dir goes last.
    void force_cleanup(const Scope& scope);
    void set_cleanup_scope(const Scope& scope) { cleanup_scope_ = scope; }

  private:
    std::string report(const Scope& scope) const;
    std::vector<pid_t> our_processes(const Scope& scope) const;

    TempDir tmp_;
    HostSnapshot before_;
    std::vector<std::pair<std::string, std::set<std::string>>> watched_;
    Scope cleanup_scope_;
};

// A busybox root file system tarred (the image input of `podman import`).
void make_busybox_tar(const std::string& work_dir, const std::string& tar_path);

}  // namespace hull::test::clients
