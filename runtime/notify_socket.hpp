// sd_notify(3) through a container, as runc does it for Podman's --sdnotify=container and for
// Type=notify units: when hull runs with NOTIFY_SOCKET, the container gets a socket of hull's
// own at /run/notify/notify.sock, and `start` relays what the container sends there, READY=1
// with MAINPID rewritten to init's host pid, to the caller's socket.
#pragma once

#include <sys/types.h>

#include <string>

#include "base/unique_fd.hpp"
#include "spec/config.hpp"

namespace hull::runtime {

// The directory in the state dir that holds the socket, and where the container sees it.
constexpr const char* kNotifyDirName = "notify";
constexpr const char* kContainerNotifyDir = "/run/notify";
constexpr const char* kContainerNotifySocket = "/run/notify/notify.sock";

// The caller's NOTIFY_SOCKET ("" when unset).
std::string host_notify_socket();

// create: with NOTIFY_SOCKET set, a read-only bind of <state_dir>/notify at /run/notify and
// NOTIFY_SOCKET=/run/notify/notify.sock (replacing the caller's) for the process.
void add_notify_socket(spec::Config& config, const std::string& state_dir);
// create: makes <state_dir>/notify (searchable by the container's users).
void make_notify_dir(const std::string& state_dir);

// start: binds <state_dir>/notify/notify.sock before init is released, so that nothing the
// container sends is lost. An invalid fd when the container has no notify dir or the caller
// no NOTIFY_SOCKET.
unique_fd bind_notify_socket(const std::string& state_dir);

// start: forwards each message from the container to host_socket, MAINPID= rewritten (added
// to a READY=1 that lacks it) to init_host_pid, until one carries READY=1 or init exits.
// Returns whether READY=1 was relayed.
bool relay_notify_until_ready(int container_socket, const std::string& host_socket, int init_pidfd,
                              pid_t init_host_pid);

// One message from the container as the host's socket gets it (exposed for unit tests).
std::string rewrite_notify_message(const std::string& message, pid_t init_host_pid, bool* ready);

}  // namespace hull::runtime
