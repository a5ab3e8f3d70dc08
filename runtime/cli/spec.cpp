#include <unistd.h>

#include <memory>

#include "base/error.hpp"
#include "base/file.hpp"
#include "runtime/cli/verbs.hpp"
#include "spec/default_spec.hpp"

namespace hull::cli {

namespace {

struct SpecOptions {
    std::string bundle = ".";
    bool rootless = false;
};

std::string write_spec(const std::string& bundle) {
    std::string path = bundle + "/config.json";
    if (::access(path.c_str(), F_OK) == 0) throw Error("File " + path + " exists. Remove it first");
    write_file(path, spec::default_config_json(), 0644);
    return path;
}

}  // namespace

void add_spec(CLI::App& app, Chosen& chosen) {
    auto* cmd = app.add_subcommand("spec", "create a new specification file (config.json)");
    auto o = std::make_shared<SpecOptions>();
    cmd->add_option("-b,--bundle", o->bundle, "bundle directory to write it in");
    cmd->add_flag("--rootless", o->rootless, "a config for rootless containers");
    cmd->callback([&chosen, o] {
        chosen.action = [o](runtime::Context&) {
            if (o->rootless) not_implemented("spec --rootless");
            write_spec(o->bundle);
            return 0;
        };
    });
}

}  // namespace hull::cli
