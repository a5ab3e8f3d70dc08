// Waiting for a container process in the foreground (`run`, `exec` without --detach):
// forwards signals to it, relays its terminal, and returns its exit status.
#pragma once

#include <sys/types.h>

namespace hull::runtime {

// pid must be our child (or reparented to us as a subreaper). console_master may be -1.
// Returns the exit code, or 128+N when killed by signal N.
int wait_foreground(pid_t pid, int pidfd, int console_master);

}  // namespace hull::runtime
