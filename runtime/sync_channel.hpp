// Typed messages between `hull create` (or exec) and the process it cloned, over a
// SOCK_SEQPACKET socketpair: one message per packet, optionally carrying one fd.
#pragma once

#include <cerrno>
#include <cstdint>
#include <string>

#include "base/error.hpp"
#include "base/unique_fd.hpp"

namespace hull::runtime {

enum class SyncType : std::uint32_t {
    go = 1,        // parent -> child: proceed (payload: state JSON for the child's hooks)
    error,         // child -> parent: payload is the one-line error
    need_id_maps,  // child -> parent: I unshared a user namespace, write my maps
    id_maps_done,  // parent -> child
    init_pid,      // child -> parent: payload is the pid of the real init (after a second fork)
    run_hooks,     // child -> parent: mounts are made, run prestart/createRuntime hooks
    hooks_done,    // parent -> child
    console,       // child -> parent: fd is the pty master, payload the slave's name
    created,       // child -> parent: setup is complete, about to block on exec.fifo
};

// The other side went away (EOF): for init, the parent has given up and reports the error.
class ChannelClosed : public Error {
  public:
    ChannelClosed() : Error("sync channel closed", EPIPE) {}
};

struct SyncMessage {
    SyncType type{};
    std::string payload;
    unique_fd fd;
};

class SyncChannel {
  public:
    SyncChannel() = default;
    explicit SyncChannel(unique_fd fd) : fd_(std::move(fd)) {}

    // A connected pair: [0] for the parent, [1] for the child. Both CLOEXEC.
    static std::pair<SyncChannel, SyncChannel> make_pair();

    void send(SyncType type, const std::string& payload = {}, int fd = -1) const;
    // Blocks for the next message; throws ChannelClosed on EOF.
    SyncMessage receive() const;
    // Receives and checks the type; an `error` message is rethrown as Error(payload).
    SyncMessage expect(SyncType type) const;

    int fd() const { return fd_.get(); }
    void close() { fd_.reset(); }

  private:
    unique_fd fd_;
};

}  // namespace hull::runtime
