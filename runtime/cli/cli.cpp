#include "runtime/cli/cli.hpp"

#include <iostream>

#include "base/log.hpp"
#include "runtime/cli/command_line.hpp"
#include "runtime/cli/version.hpp"
#include "runtime/security/self_exe.hpp"
#include "runtime/system/system_containers.hpp"

namespace hull::cli {

int run(int argc, char** argv) {
    CommandLine command_line(argc, argv);
    CLI::App& app = command_line.app();
    try {
        app.parse(argc, argv);
    } catch (const CLI::Success& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return 1;
    }
    if (command_line.show_version()) {
        std::cout << version_text();
        return 0;
    }
    if (!command_line.action()) {
        std::cout << app.help();
        return 0;
    }
    runtime::GlobalOptions global = command_line.global_options();
    std::unique_ptr<Logger> log;
    try {
        log = std::make_unique<Logger>(global.log_path, global.log_format, global.debug);
    } catch (const std::exception& e) {
        std::cerr << "hull: " << e.what() << '\n';
        return command_line.failure_status();
    }
    // System containers: the one extension beside the core (container_extension.hpp).
    system_container::SystemContainers system_containers(command_line.system_flags());
    runtime::Context ctx{global, *log, &system_containers};
    try {
        if (command_line.enters_container()) security::ensure_protected_self_exe(argv);
        return command_line.action()(ctx);
    } catch (const std::exception& e) {
        if (log->to_file()) log->error(e.what());
        std::cerr << "hull: " << e.what() << '\n';
        return command_line.failure_status();
    }
}

}  // namespace hull::cli
