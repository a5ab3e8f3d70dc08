#include "runtime/cli/verbs.hpp"

namespace hull::cli {

void add_start(CLI::App& app, Chosen& chosen) {
    add_id_command(app, chosen, "start", "run the user-defined process of a created container",
                   runtime::cmd_start);
}

}  // namespace hull::cli
