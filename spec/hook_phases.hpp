// The hook phases of config.md "POSIX-platform Hooks" and where spec::Hooks keeps each: the
// one table that parsing, validation, `features.json` and the hook runner read.
#pragma once

#include <span>
#include <vector>

#include "spec/config.hpp"

namespace hull::spec {

struct HookPhase {
    const char* name;                 // "createRuntime"
    std::vector<Hook> Hooks::*hooks;  // &Hooks::create_runtime
};

// In lifecycle order: prestart, createRuntime, createContainer, startContainer, poststart,
// poststop (hooks::Phase has the same order).
std::span<const HookPhase> hook_phases();

}  // namespace hull::spec
