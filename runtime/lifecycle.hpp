// The lifecycle commands, one function each; the CLI is a thin layer over these.
#pragma once

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/unique_fd.hpp"
#include "runtime/context.hpp"

namespace hull::runtime {

struct CreateOptions {
    std::string id;
    std::string bundle = ".";
    std::string pid_file;
    std::string console_socket;
    int preserve_fds = 0;
    bool no_pivot = false;
    bool no_new_keyring = false;
};

// A container made by create_container, still waiting on exec.fifo.
struct CreatedContainer {
    pid_t pid = 0;
    unique_fd pidfd;
    unique_fd console_master;  // set when the caller keeps the terminal (foreground run)
};

// keep_console: the caller relays the terminal itself instead of a --console-socket.
CreatedContainer create_container(Context& ctx, const CreateOptions& options, bool keep_console);

void cmd_create(Context& ctx, const CreateOptions& options);
void cmd_start(Context& ctx, const std::string& id);
// Returns the exit status hull should exit with (the container's, 128+N for signal N).
// keep: leave the container (stopped) after it exits or fails to start, as runc --keep does;
// `hull delete` removes it.
// run's own flags, as runc has them.
struct RunFlags {
    bool detach = false;
    bool keep = false;  // --keep: no delete after the container exits
    // --no-subreaper: a foreground run does not adopt the container's orphaned processes.
    bool no_subreaper = false;
};
int cmd_run(Context& ctx, const CreateOptions& options, const RunFlags& flags);
void cmd_state(Context& ctx, const std::string& id);
// signal empty: SIGTERM, or a system container's halt signal.
void cmd_kill(Context& ctx, const std::string& id, const std::string& signal, bool all);
// timeout_s: how long a container that halts gracefully (a system container) gets before
// SIGKILL (with force).
void cmd_delete(Context& ctx, const std::string& id, bool force, int timeout_s = 10);
void cmd_list(Context& ctx, const std::string& format, bool quiet);

struct ExecOptions {
    std::string id;
    std::string process_file;       // --process
    std::vector<std::string> args;  // CMD...
    bool tty = false;
    std::string cwd;
    std::vector<std::string> env;
    std::string user;  // uid[:gid]
    std::vector<std::string> caps;
    std::vector<std::string> additional_gids;
    bool no_new_privs = false;
    bool detach = false;
    std::string pid_file;
    std::string console_socket;
    int preserve_fds = 0;
    std::string apparmor;
    std::string process_label;
    // runc's --ignore-paused: the process joins the frozen cgroup and starts at resume.
    bool ignore_paused = false;
    // runc's --cgroup: existing sub-cgroups to run in (cgroups/sub_cgroup.hpp).
    std::vector<std::string> cgroups;
};
int cmd_exec(Context& ctx, const ExecOptions& options);

}  // namespace hull::runtime
