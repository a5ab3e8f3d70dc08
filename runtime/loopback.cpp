#include "runtime/loopback.hpp"

#include <net/if.h>

#include "base/error.hpp"
#include "runtime/rtnetlink.hpp"

namespace hull::runtime {

void bring_up_loopback() {
    // lo has index 1 in every network namespace, but asking costs nothing and says so.
    int index = static_cast<int>(::if_nametoindex("lo"));
    if (index == 0) throw_errno("bring up lo: find it");
    rtnl::Socket sock;
    rtnl::set_link_up(sock, index, "bring up lo");
}

}  // namespace hull::runtime
