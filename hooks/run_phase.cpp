#include <exception>

#include "base/error.hpp"
#include "hooks/run_hooks.hpp"

namespace hull::hooks {

namespace {

void log_output(const Logger& log, const std::string& name, const HookResult& result) {
    if (!log.debug_enabled()) return;
    if (!result.out.empty()) log.debug(name + " stdout: " + result.out);
    if (!result.err.empty()) log.debug(name + " stderr: " + result.err);
}

}  // namespace

void run_phase(Phase phase, const spec::Hooks& hooks, const std::string& state_json,
               const Logger& log) {
    const std::string phase_text = phase_name(phase);
    for (const spec::Hook& hook : hooks_for(hooks, phase)) {
        const std::string name = phase_text + " hook " + hook.path;
        log.debug("running " + name);
        std::string failure;
        int code = 0;
        try {
            HookResult result = run_hook(hook, state_json);
            log_output(log, name, result);
            failure = describe_failure(hook, result);
        } catch (const Error& e) {
            // Could not start it; run_hook's message already names the hook and the cause.
            failure = e.what();
            code = e.code();
        } catch (const std::exception& e) {
            failure = "hook " + hook.path + " failed: " + e.what();
        }
        if (failure.empty()) continue;
        std::string message = phase_text + " " + failure;
        // runtime.md Lifecycle step 13: a failing poststop hook is a warning and the
        // remaining hooks and the lifecycle continue as if it had succeeded.
        if (phase == Phase::poststop) {
            log.warn(message);
            continue;
        }
        throw Error(message, code);
    }
}

}  // namespace hull::hooks
