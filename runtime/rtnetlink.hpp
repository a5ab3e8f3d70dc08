// A route netlink (NETLINK_ROUTE) socket: one request at a time, acknowledged or dumped.
// The socket belongs to the network namespace of the thread that opened it, for its whole
// life, so a socket opened while inside a container's namespace talks to that namespace.
#pragma once

#include <linux/netlink.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "base/unique_fd.hpp"

namespace hull::runtime::rtnl {

// One netlink message under construction: a nlmsghdr, a fixed family header (ifinfomsg,
// ifaddrmsg, ...), then attributes.
class Message {
  public:
    Message(std::uint16_t type, std::uint16_t flags, const void* header, std::size_t size);

    Message& attr(std::uint16_t type, const void* data, std::size_t size);
    Message& attr_u32(std::uint16_t type, std::uint32_t value) {
        return attr(type, &value, sizeof value);
    }
    Message& attr_string(std::uint16_t type, const std::string& value) {
        return attr(type, value.c_str(), value.size() + 1);
    }

    nlmsghdr* header() { return reinterpret_cast<nlmsghdr*>(buf_.data()); }
    std::size_t size() const { return buf_.size(); }

  private:
    std::vector<char> buf_;
};

// A message's attributes (after its fixed header of header_size bytes), by type; a type
// that occurs twice keeps its last value. Empty when absent.
struct Attr {
    const void* data = nullptr;
    std::size_t size = 0;
    explicit operator bool() const { return data != nullptr; }
};
std::vector<Attr> parse_attrs(const nlmsghdr* msg, std::size_t header_size, std::size_t max_type);

class Socket {
  public:
    // Opens a socket in the calling thread's current network namespace.
    Socket();

    // Sends msg with NLM_F_ACK and waits for its answer; throws Error(what: strerror) with
    // the kernel's errno when it refuses.
    void call(Message& msg, const std::string& what);
    // Sends msg with NLM_F_DUMP and calls each for every message of the answer.
    void dump(Message& msg, const std::string& what,
              const std::function<void(const nlmsghdr*)>& each);

  private:
    void send(Message& msg, const std::string& what);
    unique_fd fd_;
    std::uint32_t seq_ = 0;
};

// The interface's flags with IFF_UP set, through RTM_NEWLINK.
void set_link_up(Socket& sock, int ifindex, const std::string& what);

}  // namespace hull::runtime::rtnl
