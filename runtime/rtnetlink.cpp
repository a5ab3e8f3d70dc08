#include "runtime/rtnetlink.hpp"

#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "base/error.hpp"

namespace hull::runtime::rtnl {

Message::Message(std::uint16_t type, std::uint16_t flags, const void* header, std::size_t size)
    : buf_(NLMSG_SPACE(size)) {
    nlmsghdr* h = this->header();
    h->nlmsg_len = NLMSG_LENGTH(size);
    h->nlmsg_type = type;
    h->nlmsg_flags = static_cast<std::uint16_t>(NLM_F_REQUEST | flags);
    std::memcpy(NLMSG_DATA(h), header, size);
}

Message& Message::attr(std::uint16_t type, const void* data, std::size_t size) {
    std::size_t offset = NLMSG_ALIGN(header()->nlmsg_len);
    buf_.resize(offset + RTA_SPACE(size));
    auto* rta = reinterpret_cast<rtattr*>(buf_.data() + offset);
    rta->rta_type = type;
    rta->rta_len = static_cast<unsigned short>(RTA_LENGTH(size));
    std::memcpy(RTA_DATA(rta), data, size);
    header()->nlmsg_len = static_cast<std::uint32_t>(offset + RTA_LENGTH(size));
    return *this;
}

std::vector<Attr> parse_attrs(const nlmsghdr* msg, std::size_t header_size, std::size_t max_type) {
    std::vector<Attr> attrs(max_type + 1);
    if (msg->nlmsg_len < NLMSG_LENGTH(header_size)) return attrs;
    auto* rta = reinterpret_cast<const rtattr*>(static_cast<const char*>(NLMSG_DATA(msg)) +
                                                NLMSG_ALIGN(header_size));
    auto len = static_cast<unsigned int>(msg->nlmsg_len - NLMSG_LENGTH(NLMSG_ALIGN(header_size)));
    for (; RTA_OK(rta, len); rta = RTA_NEXT(rta, len))
        if (rta->rta_type <= max_type) attrs[rta->rta_type] = Attr{RTA_DATA(rta), RTA_PAYLOAD(rta)};
    return attrs;
}

Socket::Socket() : fd_(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE)) {
    if (!fd_) throw_errno("netlink socket");
    sockaddr_nl local{};
    local.nl_family = AF_NETLINK;
    if (::bind(fd_.get(), reinterpret_cast<sockaddr*>(&local), sizeof local) < 0)
        throw_errno("bind netlink socket");
}

void Socket::send(Message& msg, const std::string& what) {
    msg.header()->nlmsg_seq = ++seq_;
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    ssize_t n;
    do {
        n = ::sendto(fd_.get(), msg.header(), msg.size(), 0, reinterpret_cast<sockaddr*>(&kernel),
                     sizeof kernel);
    } while (n < 0 && errno == EINTR);
    if (n < 0) throw_errno(what + ": netlink send");
}

namespace {

// Reads answers to seq until done() says so; an NLMSG_ERROR with an errno throws.
void receive(int fd, std::uint32_t seq, const std::string& what,
             const std::function<bool(const nlmsghdr*)>& handle) {
    // Large enough for any dump part the kernel sends (it sizes them to the reader's page).
    std::vector<char> buf(64 * 1024);
    for (;;) {
        ssize_t n;
        do {
            n = ::recv(fd, buf.data(), buf.size(), 0);
        } while (n < 0 && errno == EINTR);
        if (n < 0) throw_errno(what + ": netlink receive");
        auto len = static_cast<unsigned int>(n);
        for (auto* h = reinterpret_cast<const nlmsghdr*>(buf.data()); NLMSG_OK(h, len);
             h = NLMSG_NEXT(h, len)) {
            if (h->nlmsg_seq != seq) continue;
            if (h->nlmsg_type == NLMSG_ERROR) {
                const auto* err = static_cast<const nlmsgerr*>(NLMSG_DATA(h));
                if (err->error != 0) throw_errno(what, -err->error);
                return;  // the acknowledgement
            }
            if (h->nlmsg_type == NLMSG_DONE) return;
            if (handle(h)) return;
        }
    }
}

}  // namespace

void Socket::call(Message& msg, const std::string& what) {
    msg.header()->nlmsg_flags |= NLM_F_ACK;
    send(msg, what);
    receive(fd_.get(), seq_, what, [](const nlmsghdr*) { return false; });
}

void Socket::dump(Message& msg, const std::string& what,
                  const std::function<void(const nlmsghdr*)>& each) {
    msg.header()->nlmsg_flags |= NLM_F_DUMP;
    send(msg, what);
    receive(fd_.get(), seq_, what, [&](const nlmsghdr* h) {
        each(h);
        return false;
    });
}

void set_link_up(Socket& sock, int ifindex, const std::string& what) {
    ifinfomsg info{};
    info.ifi_family = AF_UNSPEC;
    info.ifi_index = ifindex;
    info.ifi_flags = IFF_UP;
    info.ifi_change = IFF_UP;
    Message msg(RTM_NEWLINK, 0, &info, sizeof info);
    sock.call(msg, what);
}

}  // namespace hull::runtime::rtnl
