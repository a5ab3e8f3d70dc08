#include "runtime/cli/verbs.hpp"

namespace hull::cli {

void add_state(CLI::App& app, Chosen& chosen) {
    add_id_command(app, chosen, "state", "output the state of a container", runtime::cmd_state);
}

}  // namespace hull::cli
