// Passing a file descriptor over a unix socket (SCM_RIGHTS), the way the console socket,
// the seccomp agent and hull's own sync channel all need it.
#pragma once

#include <string>

#include "base/unique_fd.hpp"

namespace hull {

// One sendmsg of payload with fd attached (fd < 0: none); MSG_NOSIGNAL, retried on EINTR.
// Returns the bytes sent (a stream socket may take less than all of payload).
size_t send_with_fd(int socket, const std::string& payload, int fd, const std::string& what);

// One recvmsg of at most max bytes; the fd that came with it (CLOEXEC) goes to *fd.
// Returns the payload; an empty payload with no fd means EOF.
std::string receive_with_fd(int socket, size_t max, unique_fd* fd, const std::string& what);

}  // namespace hull
