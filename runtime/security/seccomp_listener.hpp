// Handing a seccomp notify listener fd to the agent at linux.seccomp.listenerPath.
#pragma once

#include <sys/types.h>

#include <string>

#include "base/unique_fd.hpp"

namespace hull::security {

// A connected SOCK_STREAM unix socket to path (close-on-exec). The lead calls this before
// pivot_root, since listenerPath is a host path.
unique_fd connect_unix(const std::string& path);

// The "container process state" JSON of config-linux.md: ociVersion, fds ["seccompFd"], pid
// (as seen by the runtime, i.e. the host pid), metadata (omitted when empty) and state, where
// state_json is the already serialized state object of runtime.md.
std::string seccomp_process_state_json(pid_t pid, const std::string& metadata,
                                       const std::string& state_json);

// One sendmsg carrying process_state_json with listener_fd in SCM_RIGHTS; any rest of a short
// send goes out without fds, as the spec allows. The caller closes the socket afterwards
// (one state per connection).
void send_seccomp_listener(int connected_socket, int listener_fd,
                           const std::string& process_state_json);

}  // namespace hull::security
