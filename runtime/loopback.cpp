#include "runtime/loopback.hpp"

#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cstring>

#include "base/error.hpp"
#include "base/unique_fd.hpp"

namespace hull::runtime {

void bring_up_loopback() {
    // Any socket of the namespace reaches its interfaces' flags; a datagram socket of the
    // netlink family needs no IP stack configuration.
    unique_fd sock(::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!sock) throw_errno("bring up lo: socket");
    struct ifreq request {};
    std::strncpy(request.ifr_name, "lo", IFNAMSIZ - 1);
    if (::ioctl(sock.get(), SIOCGIFFLAGS, &request) < 0) throw_errno("bring up lo: SIOCGIFFLAGS");
    if (request.ifr_flags & IFF_UP) return;
    request.ifr_flags |= IFF_UP;
    if (::ioctl(sock.get(), SIOCSIFFLAGS, &request) < 0) throw_errno("bring up lo: SIOCSIFFLAGS");
}

}  // namespace hull::runtime
