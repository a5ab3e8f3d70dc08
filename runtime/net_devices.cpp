#include "runtime/net_devices.hpp"

#include <fcntl.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sched.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "base/unique_fd.hpp"
#include "runtime/rtnetlink.hpp"

namespace hull::runtime {

namespace {

std::string field(const std::string& name) {
    return "config.json: /linux/netDevices/" + name;
}

// A permanent, global address of a device as RTM_NEWADDR needs it again.
struct Address {
    ifaddrmsg header{};
    std::uint32_t flags = 0;
    std::vector<char> local, address, broadcast;
};

std::vector<char> bytes(const rtnl::Attr& a) {
    if (!a) return {};
    const char* p = static_cast<const char*>(a.data);
    return {p, p + a.size};
}

// config-linux.md: "all permanent IP addresses (IFA_F_PERMANENT flag) of any family with
// global scope (RT_SCOPE_UNIVERSE value)". Link-local and other scopes the kernel makes anew.
std::vector<Address> permanent_addresses(rtnl::Socket& sock, int ifindex, const std::string& what) {
    ifaddrmsg query{};
    query.ifa_family = AF_UNSPEC;
    rtnl::Message msg(RTM_GETADDR, 0, &query, sizeof query);
    std::vector<Address> out;
    sock.dump(msg, what + ": list addresses", [&](const nlmsghdr* h) {
        if (h->nlmsg_type != RTM_NEWADDR) return;
        const auto* ifa = static_cast<const ifaddrmsg*>(NLMSG_DATA(h));
        if (static_cast<int>(ifa->ifa_index) != ifindex) return;
        auto attrs = rtnl::parse_attrs(h, sizeof *ifa, IFA_MAX);
        std::uint32_t flags = ifa->ifa_flags;
        // IFA_FLAGS carries all 32 bits; the header only the low 8.
        if (attrs[IFA_FLAGS] && attrs[IFA_FLAGS].size == sizeof flags)
            std::memcpy(&flags, attrs[IFA_FLAGS].data, sizeof flags);
        if (!(flags & IFA_F_PERMANENT) || ifa->ifa_scope != RT_SCOPE_UNIVERSE) return;
        Address a;
        a.header = *ifa;
        // Only what describes the address itself, not its state (tentative, deprecated...).
        a.flags = flags & (IFA_F_PERMANENT | IFA_F_NODAD | IFA_F_NOPREFIXROUTE | IFA_F_HOMEADDRESS |
                           IFA_F_MANAGETEMPADDR | IFA_F_MCAUTOJOIN);
        a.header.ifa_flags = static_cast<unsigned char>(a.flags & 0xff);
        a.local = bytes(attrs[IFA_LOCAL]);
        a.address = bytes(attrs[IFA_ADDRESS]);
        a.broadcast = bytes(attrs[IFA_BROADCAST]);
        out.push_back(std::move(a));
    });
    return out;
}

void add_address(rtnl::Socket& sock, int ifindex, const Address& a, const std::string& what) {
    ifaddrmsg header = a.header;
    header.ifa_index = static_cast<unsigned>(ifindex);
    rtnl::Message msg(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, &header, sizeof header);
    if (!a.local.empty()) msg.attr(IFA_LOCAL, a.local.data(), a.local.size());
    if (!a.address.empty()) msg.attr(IFA_ADDRESS, a.address.data(), a.address.size());
    if (!a.broadcast.empty()) msg.attr(IFA_BROADCAST, a.broadcast.data(), a.broadcast.size());
    msg.attr_u32(IFA_FLAGS, a.flags);
    sock.call(msg, what + ": add address");
}

// Enters a network namespace for the lifetime of the object (this thread only), then goes
// back to the one it came from.
class InNetns {
  public:
    explicit InNetns(int target) : home_(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)) {
        if (!home_) throw_errno("open own network namespace");
        if (::setns(target, CLONE_NEWNET) < 0) throw_errno("enter container network namespace");
    }
    InNetns(const InNetns&) = delete;
    InNetns& operator=(const InNetns&) = delete;
    ~InNetns() noexcept(false) {
        // Staying in the container's namespace would make every later step of create wrong.
        if (::setns(home_.get(), CLONE_NEWNET) < 0 && !std::uncaught_exceptions())
            throw_errno("return to own network namespace");
    }

  private:
    unique_fd home_;
};

// The name a device is to have in the container.
std::string target_name(const std::string& host_name, const spec::NetDevice& dev) {
    return dev.name.empty() ? host_name : dev.name;
}

bool is_template(const std::string& name) {
    return name.find("%d") != std::string::npos;
}

void move_one(const std::string& host_name, const spec::NetDevice& dev, int netns) {
    const std::string what = field(host_name);
    int ifindex = static_cast<int>(::if_nametoindex(host_name.c_str()));
    if (ifindex == 0) throw Error(what + ": no network device \"" + host_name + "\" on the host");
    std::vector<Address> addresses;
    {
        rtnl::Socket host;
        addresses = permanent_addresses(host, ifindex, what);
        // The kernel closes the device, drops its addresses and, only if the index is taken
        // there, gives it a new one.
        ifinfomsg info{};
        info.ifi_family = AF_UNSPEC;
        info.ifi_index = ifindex;
        rtnl::Message msg(RTM_NEWLINK, 0, &info, sizeof info);
        msg.attr_u32(IFLA_NET_NS_FD, static_cast<std::uint32_t>(netns));
        host.call(msg, what + ": move into the container's network namespace");
    }
    InNetns inside(netns);
    rtnl::Socket sock;
    ifindex = static_cast<int>(::if_nametoindex(host_name.c_str()));
    if (ifindex == 0) throw_errno(what + ": find the moved device");
    if (!dev.name.empty() && dev.name != host_name) {
        // A name already taken is EEXIST, as the spec requires; "%d" is the kernel's to fill.
        ifinfomsg info{};
        info.ifi_family = AF_UNSPEC;
        info.ifi_index = ifindex;
        rtnl::Message msg(RTM_NEWLINK, 0, &info, sizeof info);
        msg.attr_string(IFLA_IFNAME, dev.name);
        sock.call(msg, what + ": rename to \"" + dev.name + "\"");
    }
    for (const Address& a : addresses)
        add_address(sock, ifindex, a, what);
    rtnl::set_link_up(sock, ifindex, what + ": set up");
}

}  // namespace

void check_net_devices(const spec::Config& config) {
    if (!config.linux) return;
    std::map<std::string, std::string> targets;  // name inside -> host name
    for (const auto& [name, dev] : config.linux->net_devices) {
        const spec::Namespace* net = config.find_namespace("network");
        if (!net || !net->path.empty())
            throw Error(field(name) +
                        ": netDevices need a new network namespace (a network entry in "
                        "/linux/namespaces without a path)");
        if (::if_nametoindex(name.c_str()) == 0)
            throw Error(field(name) + ": no network device \"" + name + "\" on the host");
        std::string target = target_name(name, dev);
        if (!is_template(target) && !targets.emplace(target, name).second)
            throw Error(field(name) + ": the name \"" + target + "\" is also that of " +
                        field(targets[target]).substr(sizeof "config.json: " - 1) +
                        " in the container");
    }
}

void move_net_devices(const spec::Config& config, pid_t pid) {
    if (!config.linux || config.linux->net_devices.empty()) return;
    std::string path = "/proc/" + std::to_string(pid) + "/ns/net";
    unique_fd netns(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!netns) throw_errno("open " + path);
    // config-linux.md: the runtime MUST check that the move is possible. A name already
    // taken inside is refused before any device leaves the host: a veth moved in would die
    // with the namespace of the failed create.
    {
        InNetns inside(netns.get());
        for (const auto& [name, dev] : config.linux->net_devices) {
            std::string target = target_name(name, dev);
            if (!is_template(target) && ::if_nametoindex(target.c_str()) != 0)
                throw Error(field(name) + ": a network device \"" + target +
                            "\" already exists in the container's network namespace");
        }
    }
    for (const auto& [name, dev] : config.linux->net_devices)
        move_one(name, dev, netns.get());
}

}  // namespace hull::runtime
