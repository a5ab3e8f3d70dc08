// Running OCI lifecycle hooks (config.md "POSIX-platform Hooks", runtime.md "Lifecycle").
//
// A hook is fork+exec'd with exactly its args and env, in its own process group, with the
// container state JSON on stdin and its stdout/stderr captured (the last kOutputCap bytes of
// each). It works from any process, including PID 1 of a pid namespace: only the hook's own
// pid is ever waited for (through a pidfd), never waitpid(-1).
//
// Process-group policy: the whole group is SIGKILLed only when the hook runs past its timeout.
// A hook that exits normally may leave background children behind (e.g. a helper daemon it
// started on purpose); they are not killed, and the runner does not wait for them to close the
// stdout/stderr they inherited: once the hook itself has exited, what is already in the pipes is
// read and the pipes are closed.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "base/log.hpp"
#include "spec/config.hpp"

namespace hull::hooks {

// In lifecycle order, as spec::hook_phases() lists them.
enum class Phase {
    prestart,
    create_runtime,
    create_container,
    start_container,
    poststart,
    poststop
};

// The spec's name for the phase: "prestart", "createRuntime", ..., "poststop".
const char* phase_name(Phase phase);

// The hooks configured for one phase, in the order they must run.
const std::vector<spec::Hook>& hooks_for(const spec::Hooks& hooks, Phase phase);

// How much of each of stdout and stderr is kept (the tail, where errors usually are).
inline constexpr std::size_t kOutputCap = 64 * 1024;

struct HookResult {
    int exit_status = -1;    // exit code when the hook exited, -1 when a signal killed it
    int term_signal = 0;     // signal that killed the hook, 0 when it exited
    bool timed_out = false;  // we killed its process group at the timeout (term_signal SIGKILL)
    std::string out;         // last kOutputCap bytes of stdout
    std::string err;         // last kOutputCap bytes of stderr
};

// Runs one hook to completion and reports how it ended; a non-zero exit is not an exception.
// Throws Error when the hook could not be started, naming the path and the precise cause:
//   "hook /x failed: exec failed: No such file or directory"
// A hook that ignores stdin or exits early does not disturb the caller (no SIGPIPE, no hang).
// A timeout <= 0 (invalid per spec, rejected by validation) is treated as no timeout.
HookResult run_hook(const spec::Hook& hook, const std::string& state_json);

// Empty when the result is a success; otherwise the reason, with the hook's stderr (or its
// stdout when stderr is empty), trimmed and shortened to its last few KiB:
//   "hook /x failed: exit status 3: <stderr>"
//   "hook /x failed: killed by signal SIGSEGV"
//   "hook /x timed out after 2s (killed its process group)"
std::string describe_failure(const spec::Hook& hook, const HookResult& result);

// Runs every hook of the phase in order. The first failure (non-zero exit, signal, timeout,
// exec failure) stops the phase and throws Error("<phase> " + describe_failure(...)).
// For Phase::poststop a failure is logged with log.warn and the remaining hooks still run;
// it never throws for poststop. Each run is logged at debug level with the hook's output.
void run_phase(Phase phase, const spec::Hooks& hooks, const std::string& state_json,
               const Logger& log);

}  // namespace hull::hooks
