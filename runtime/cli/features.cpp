#include <iostream>

#include "runtime/cli/verbs.hpp"
#include "spec/features.hpp"

namespace hull::cli {

void add_features(CLI::App& app, Chosen& chosen) {
    auto* cmd =
        app.add_subcommand("features", "show the enabled features (runtime-spec features.json)");
    cmd->callback([&chosen] {
        chosen.action = [](runtime::Context&) {
            std::cout << spec::features_json() << '\n';
            return 0;
        };
    });
}

}  // namespace hull::cli
