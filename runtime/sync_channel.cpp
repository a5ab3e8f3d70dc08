#include "runtime/sync_channel.hpp"

#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "base/error.hpp"
#include "base/fd_passing.hpp"

namespace hull::runtime {

namespace {

constexpr size_t kMaxPayload = 256 * 1024;

struct Header {
    std::uint32_t type;
};

}  // namespace

std::pair<SyncChannel, SyncChannel> SyncChannel::make_pair() {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0)
        throw_errno("create sync socketpair");
    return {SyncChannel(unique_fd(fds[0])), SyncChannel(unique_fd(fds[1]))};
}

void SyncChannel::send(SyncType type, const std::string& payload, int fd) const {
    Header header{static_cast<std::uint32_t>(type)};
    std::string packet(reinterpret_cast<const char*>(&header), sizeof header);
    packet += payload.substr(0, kMaxPayload);
    send_with_fd(fd_.get(), packet, fd, "send sync message");
}

SyncMessage SyncChannel::receive() const {
    SyncMessage out;
    std::string packet;
    try {
        packet = receive_with_fd(fd_.get(), sizeof(Header) + kMaxPayload, &out.fd,
                                 "receive sync message");
    } catch (const Error& e) {
        // The peer closed with a message of ours unread: the kernel reports ECONNRESET once,
        // ahead of what the peer sent before closing (its error, which is what the user needs).
        if (e.code() != ECONNRESET) throw;
        packet = receive_with_fd(fd_.get(), sizeof(Header) + kMaxPayload, &out.fd,
                                 "receive sync message");
    }
    if (packet.empty()) throw ChannelClosed();
    if (packet.size() < sizeof(Header)) throw Error("short sync message");
    Header header;
    std::memcpy(&header, packet.data(), sizeof header);
    out.type = static_cast<SyncType>(header.type);
    out.payload = packet.substr(sizeof header);
    return out;
}

SyncMessage SyncChannel::expect(SyncType type) const {
    SyncMessage msg = receive();
    if (msg.type == SyncType::error) throw Error(msg.payload);
    if (msg.type != type)
        throw Error("unexpected sync message " + std::to_string(static_cast<int>(msg.type)) +
                    " (expected " + std::to_string(static_cast<int>(type)) + ")");
    return msg;
}

}  // namespace hull::runtime
