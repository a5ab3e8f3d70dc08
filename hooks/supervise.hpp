// Internal: feeding, watching and reaping a started hook.
#pragma once

#include <string>

#include "hooks/process.hpp"
#include "hooks/run_hooks.hpp"

namespace hull::hooks::detail {

// Writes input to the hook's stdin (non-blocking, stopping quietly if the hook closes it),
// collects the tail of stdout/stderr, and waits for the hook to exit. With timeout_seconds > 0,
// a hook still running at the deadline has its whole process group SIGKILLed. The caller must
// keep SIGPIPE from killing the process (see run_hook).
HookResult supervise(SpawnedHook& hook, const std::string& input, int timeout_seconds);

}  // namespace hull::hooks::detail
