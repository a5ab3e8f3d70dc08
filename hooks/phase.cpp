#include "hooks/run_hooks.hpp"

namespace hull::hooks {

const char* phase_name(Phase phase) {
    switch (phase) {
        case Phase::prestart:
            return "prestart";
        case Phase::create_runtime:
            return "createRuntime";
        case Phase::create_container:
            return "createContainer";
        case Phase::start_container:
            return "startContainer";
        case Phase::poststart:
            return "poststart";
        case Phase::poststop:
            return "poststop";
    }
    return "unknown";
}

const std::vector<spec::Hook>& hooks_for(const spec::Hooks& hooks, Phase phase) {
    switch (phase) {
        case Phase::prestart:
            return hooks.prestart;
        case Phase::create_runtime:
            return hooks.create_runtime;
        case Phase::create_container:
            return hooks.create_container;
        case Phase::start_container:
            return hooks.start_container;
        case Phase::poststart:
            return hooks.poststart;
        case Phase::poststop:
            return hooks.poststop;
    }
    return hooks.poststop;  // unreachable: every enumerator is handled above
}

}  // namespace hull::hooks
