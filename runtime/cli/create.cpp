#include <memory>

#include "runtime/cli/verbs.hpp"

namespace hull::cli {

void add_create_flags(CLI::App* cmd, runtime::CreateOptions& o,
                      system_container::SystemFlags& system) {
    cmd->add_option("-b,--bundle", o.bundle,
                    "path to the root of the bundle directory (default: the current directory)");
    cmd->add_option(
        "--console-socket", o.console_socket,
        "path of a unix socket that receives the pty master of the container's terminal");
    cmd->add_option("--pid-file", o.pid_file, "write the container's init pid to this file");
    cmd->add_flag("--no-pivot", o.no_pivot,
                  "use chroot instead of pivot_root (for a rootfs on a ramdisk)");
    cmd->add_flag("--no-new-keyring", o.no_new_keyring,
                  "keep the caller's session keyring instead of creating one");
    cmd->add_option("--preserve-fds", o.preserve_fds,
                    "pass N additional file descriptors (3 .. 3+N-1) to the container");
    cmd->add_flag("--system-container", system.system_container,
                  "boot the rootfs's init as a system container (README \"System containers\")");
    cmd->add_option_function<std::string>(
        "--console-buffer",
        [&system](const std::string& v) {
            system.console_buffer = system_container::parse_buffer_size(v, "--console-buffer");
        },
        "system container: console ring buffer size (default 128K)");
    cmd->add_option_function<int>(
        "--reboot-limit", [&system](int v) { system.reboot_limit = v; },
        "system container: reboots to follow before staying stopped (-1: no limit; default 100)");
    cmd->add_option("id", o.id, "container id")->required();
}

void add_create(CLI::App& app, Chosen& chosen) {
    auto* cmd = app.add_subcommand("create", "create a container");
    auto options = std::make_shared<runtime::CreateOptions>();
    add_create_flags(cmd, *options, chosen.system_flags);
    cmd->callback([&chosen, options] {
        chosen.enters_container = true;
        chosen.action = [options](runtime::Context& ctx) {
            runtime::cmd_create(ctx, *options);
            return 0;
        };
    });
}

}  // namespace hull::cli
