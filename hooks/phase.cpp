#include "hooks/run_hooks.hpp"

#include "spec/hook_phases.hpp"

namespace hull::hooks {

namespace {

// hooks::Phase lists the phases in the table's (lifecycle) order.
const spec::HookPhase& table_row(Phase phase) {
    return spec::hook_phases()[static_cast<std::size_t>(phase)];
}

}  // namespace

const char* phase_name(Phase phase) {
    return table_row(phase).name;
}

const std::vector<spec::Hook>& hooks_for(const spec::Hooks& hooks, Phase phase) {
    return hooks.*table_row(phase).hooks;
}

}  // namespace hull::hooks
