// Terminals: a pty made inside the container (its own devpts), and the console-socket
// protocol containerd and conmon speak (the master fd over SCM_RIGHTS).
#pragma once

#include <optional>
#include <string>

#include "base/unique_fd.hpp"
#include "spec/config.hpp"

namespace hull::runtime {

struct Pty {
    unique_fd master;
    std::string slave_name;  // e.g. /dev/pts/0 inside the container
};

// Opens /dev/ptmx of the current root, makes the slave our stdio (and, if controlling, our
// controlling terminal), binds it over /dev/console, and returns the master. A system
// container's init gets no controlling terminal, as the kernel starts init on /dev/console:
// its getty or shell takes the console as its own.
Pty open_container_pty(const std::optional<spec::ConsoleSize>& size, bool bind_dev_console = true,
                       bool controlling = true);

// Connects to the unix socket at path and sends the master fd with name as payload.
void send_console_fd(const std::string& socket_path, int master_fd, const std::string& name);

}  // namespace hull::runtime
