#include "spec/hook_phases.hpp"

namespace hull::spec {

namespace {

constexpr HookPhase kPhases[] = {
    {"prestart", &Hooks::prestart},
    {"createRuntime", &Hooks::create_runtime},
    {"createContainer", &Hooks::create_container},
    {"startContainer", &Hooks::start_container},
    {"poststart", &Hooks::poststart},
    {"poststop", &Hooks::poststop},
};

}  // namespace

std::span<const HookPhase> hook_phases() {
    return kPhases;
}

}  // namespace hull::spec
