// systemd socket activation (sd_listen_fds(3)) through hull, as runc does it: when hull is
// the process systemd activated (LISTEN_PID is hull's pid), its fds 3 .. 3+LISTEN_FDS-1 go to
// the container's process as 3, 4, ..., ahead of the --preserve-fds ones, with LISTEN_FDS,
// LISTEN_FDNAMES and a LISTEN_PID that is the process's own pid in its pid namespace.
#pragma once

#include "spec/config.hpp"

namespace hull::runtime {

// How many fds systemd passed to this process: 0 when LISTEN_PID is unset or names another
// process (the variables are not for us then). Throws Error for a LISTEN_FDS that is not a
// count.
int inherited_listen_fds();

// LISTEN_FDS=count and the caller's LISTEN_FDNAMES in place of any the process had;
// LISTEN_PID is set at execve (LaunchOptions::listen_pid).
void add_listen_env(spec::Process& process, int count);

}  // namespace hull::runtime
