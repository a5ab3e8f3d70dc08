#include "runtime/cli/verbs.hpp"

namespace hull::cli {

void add_resume(CLI::App& app, Chosen& chosen) {
    add_id_command(app, chosen, "resume", "resume all processes of a paused container",
                   runtime::cmd_resume);
}

}  // namespace hull::cli
