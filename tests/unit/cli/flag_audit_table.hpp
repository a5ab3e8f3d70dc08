// Issue 17: every option of every hull command, and what shows that it does something. Read by
// flag_audit_test.cpp, which walks the real command line (runtime/cli/: one file per command):
// an option missing here, an entry for an option that is gone, or a test name that no test case
// has, fails it. Keys are "<command path> --<long name>"; global options have no command.
//
// create and run share their flags (add_create_flags) and the code behind them (plan_create,
// build_container): a test of one of them with a flag is named for both.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace hull::test::flag_audit {

struct Tested {
    std::string option;
    std::string test_case;  // the Catch2 test case that shows the option's effect
};

struct Compatible {
    std::string option;
    std::string reason;
    std::vector<std::string> example;  // argv after "hull" that must parse
};

struct Untested {
    std::string option;
    std::string note;
};

inline const std::vector<Tested> kTested = {
    // global
    {"--help", "help flag lists every lifecycle command"},
    {"--help-all", "help-all shows every command with its own options"},
    {"--version", "version flag prints hull's, the spec's and the libraries' versions"},
    {"--root", "a full disk or an unwritable --root is a clear error and leaves no half state"},
    {"--log", "errors go to stderr and, with --log-format json, to the log as runc's JSON lines"},
    {"--log-format",
     "errors go to stderr and, with --log-format json, to the log as runc's JSON lines"},
    {"--debug", "ambient capabilities that are not inheritable are noted at --debug, not warned"},
    {"--systemd-cgroup", "the systemd cgroup driver without systemd is a clear error"},
    // create
    {"create --bundle", "create, start, state, kill, delete: the full lifecycle"},
    {"create --console-socket", "create --console-socket sends a working pty master"},
    {"create --pid-file", "create, start, state, kill, delete: the full lifecycle"},
    {"create --no-pivot", "no-pivot mode uses chroot and still runs the container"},
    {"create --preserve-fds",
     "preserve-fds passes extra fds, and no other fd leaks into the container"},
    {"create --system-container",
     "no init in the rootfs: a clear error naming the paths tried, nothing left"},
    {"create --console-buffer", "bad input leaves nothing behind"},
    {"create --reboot-limit", "bad input leaves nothing behind"},
    {"create --no-new-keyring",
     "create and run --no-new-keyring keep the caller's session keyring"},
    // run
    {"run --bundle", "run --detach leaves the container running"},
    {"run --console-socket", "create --console-socket sends a working pty master"},
    {"run --pid-file", "create, start, state, kill, delete: the full lifecycle"},
    {"run --no-pivot", "no-pivot mode uses chroot and still runs the container"},
    {"run --preserve-fds",
     "preserve-fds passes extra fds, and no other fd leaks into the container"},
    {"run --system-container",
     "busybox system container: reboot from inside comes back with the same id"},
    {"run --console-buffer",
     "console buffer sizes and reboot limits: flags over annotations over defaults"},
    {"run --reboot-limit", "a reboot beyond --reboot-limit stops the container"},
    {"run --detach", "run --detach leaves the container running"},
    {"run --keep", "run --keep leaves the stopped container for hull delete, as in runc"},
    {"run --no-subreaper", "run adopts the container's orphans unless --no-subreaper"},
    {"run --no-new-keyring", "create and run --no-new-keyring keep the caller's session keyring"},
    // delete, list
    {"delete --force", "delete --force of a paused container thaws, kills and removes it"},
    {"delete --timeout", "an init that ignores its halt signal is killed after --timeout"},
    {"list --format", "list prints a table and JSON like runc"},
    {"list --quiet", "list prints a table and JSON like runc"},
    // kill
    {"kill --all",
     "kill --all sends the signal to every process in the container, kill to init alone"},
    // exec
    {"exec --process", "exec runs a process inside the running container"},
    {"exec --tty", "exec --tty --console-socket gives the process its own pty"},
    {"exec --env", "exec's flag form: -e, -c and -g take one value each, as in runc"},
    {"exec --user", "a non-root process owns its terminal, at create and at exec"},
    {"exec --additional-gids", "exec's flag form: -e, -c and -g take one value each, as in runc"},
    {"exec --cap", "exec's flag form: -e, -c and -g take one value each, as in runc"},
    {"exec --detach", "exec runs a process inside the running container"},
    {"exec --pid-file", "exec runs a process inside the running container"},
    {"exec --console-socket", "exec --tty --console-socket gives the process its own pty"},
    {"exec --cgroup", "exec --cgroup PATH runs the process in that sub-cgroup of every hierarchy"},
    {"exec --ignore-paused",
     "exec into a paused container is refused unless --ignore-paused, which runs it at resume"},
    {"exec --cwd", "exec --cwd and --no-new-privs change the exec'd process, not the config's"},
    {"exec --no-new-privs",
     "exec --cwd and --no-new-privs change the exec'd process, not the config's"},
    {"exec --preserve-fds",
     "exec --preserve-fds passes extra fds to the exec'd process, and no others"},
    {"exec --apparmor",
     "exec --apparmor and --process-label are applied, or refused where the LSM is off"},
    {"exec --process-label",
     "exec --apparmor and --process-label are applied, or refused where the LSM is off"},
    // spec, bundle new
    {"spec --bundle", "spec writes a config.json that validates and that hull accepts"},
    {"spec --rootless", "spec --rootless is refused as not implemented, and writes nothing"},
    {"bundle new --template",
     "bundle new: the CLI lists and makes the templates, refuses an existing config"},
    {"bundle new --cache-dir",
     "debian template: a failed debootstrap leaves no bundle and no cache entry"},
    {"bundle new --mirror",
     "debian template: a failed debootstrap leaves no bundle and no cache entry"},
    // ps, events, update, console
    {"ps --format", "ps lists the container's processes, json is an array of pids"},
    {"events --interval", "events --interval takes Go durations, as runc does"},
    {"events --stats",
     "events --stats prints one stats object of the container's cgroup and exits"},
    {"update --resources", "update changes a live limit, --resources takes a linux.resources JSON"},
    {"update --memory", "update changes a live limit, --resources takes a linux.resources JSON"},
    {"update --cpu-share", "update changes a live limit, --resources takes a linux.resources JSON"},
    {"update --pids-limit",
     "update changes a live limit, --resources takes a linux.resources JSON"},
    {"update --memory-swap",
     "update --memory -1 after a swap limit makes memory and memory+swap unlimited (v1)"},
    {"update --cpu-period",
     "update of a smaller CPU period under a parent with its own quota (v1)"},
    {"update --cpu-quota", "update of a smaller CPU period under a parent with its own quota (v1)"},
    {"update --memory-reservation",
     "update's resource flags become the linux.resources it applies"},
    {"update --kernel-memory", "update's resource flags become the linux.resources it applies"},
    {"update --kernel-memory-tcp", "update's resource flags become the linux.resources it applies"},
    {"update --cpu-rt-period", "update's resource flags become the linux.resources it applies"},
    {"update --cpu-rt-runtime", "update's resource flags become the linux.resources it applies"},
    {"update --cpuset-cpus", "update's resource flags become the linux.resources it applies"},
    {"update --cpuset-mems", "update's resource flags become the linux.resources it applies"},
    {"update --blkio-weight", "update's resource flags become the linux.resources it applies"},
    {"console --detach-keys",
     "hull console detaches on Ctrl-right-bracket or on the --detach-keys sequence"},
};

// Exactly the options whose --help says "accepted for ... compatibility"; README names each.
inline const std::vector<Compatible> kAcceptedForCompatibility = {
    {"--criu", "runc's path to criu; hull has no checkpoint/restore", {"--criu", "/bin/criu"}},
    {"--rootless",
     "runc's rootless mode switch; clients pass it to every runtime",
     {"--rootless", "auto"}},
};

// Options that no test shows doing anything yet. This list may only shrink: kUntestedMax is its
// size today, and the test fails when it grows.
inline const std::vector<Untested> kUntested = {};
inline constexpr std::size_t kUntestedMax = 0;

}  // namespace hull::test::flag_audit
