#include "runtime/sync_channel.hpp"

#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "base/error.hpp"

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
    struct iovec iov {
        packet.data(), packet.size()
    };
    struct msghdr msg {};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    if (fd >= 0) {
        msg.msg_control = control;
        msg.msg_controllen = sizeof control;
        struct cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
        cmsg->cmsg_level = SOL_SOCKET;
        cmsg->cmsg_type = SCM_RIGHTS;
        cmsg->cmsg_len = CMSG_LEN(sizeof(int));
        std::memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
    }
    while (::sendmsg(fd_.get(), &msg, MSG_NOSIGNAL) < 0) {
        if (errno != EINTR) throw_errno("send sync message");
    }
}

SyncMessage SyncChannel::receive() const {
    std::vector<char> buf(sizeof(Header) + kMaxPayload);
    struct iovec iov {
        buf.data(), buf.size()
    };
    struct msghdr msg {};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n;
    while ((n = ::recvmsg(fd_.get(), &msg, MSG_CMSG_CLOEXEC)) < 0) {
        if (errno != EINTR) throw_errno("receive sync message");
    }
    if (n == 0) throw ChannelClosed();
    if (static_cast<size_t>(n) < sizeof(Header)) throw Error("short sync message");
    SyncMessage out;
    Header header;
    std::memcpy(&header, buf.data(), sizeof header);
    out.type = static_cast<SyncType>(header.type);
    out.payload.assign(buf.data() + sizeof header, static_cast<size_t>(n) - sizeof header);
    for (struct cmsghdr* cmsg = CMSG_FIRSTHDR(&msg); cmsg; cmsg = CMSG_NXTHDR(&msg, cmsg)) {
        if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS) {
            int fd;
            std::memcpy(&fd, CMSG_DATA(cmsg), sizeof fd);
            out.fd.reset(fd);
        }
    }
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
