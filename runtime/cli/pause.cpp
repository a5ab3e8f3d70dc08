#include "runtime/cli/verbs.hpp"

namespace hull::cli {

void add_pause(CLI::App& app, Chosen& chosen) {
    add_id_command(app, chosen, "pause", "suspend all processes inside a container",
                   runtime::cmd_pause);
}

}  // namespace hull::cli
