// linux.netDevices: host interfaces moved into the container's network namespace by create,
// with their permanent global addresses, renamed and up; and the configs that cannot work.
// The devices are veth pairs made here (the dummy driver is not on every kernel) and deleted
// on every exit; nothing is sent through them.
#include <net/if.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <string>

#include "support/command.hpp"
#include "support/hull_env.hpp"

using hull::test::HullEnv;
using hull::test::run_command;

namespace {

bool host_has(const std::string& name) {
    return ::if_nametoindex(name.c_str()) != 0;
}

// A veth pair on the host, named <prefix>a/<prefix>b with a per-process suffix so that runs
// do not meet; both ends are deleted when it goes (deleting either deletes the pair).
class VethPair {
  public:
    explicit VethPair(const std::string& prefix)
        : a_(prefix + std::to_string(::getpid() % 100000) + "a"),
          b_(prefix + std::to_string(::getpid() % 100000) + "b") {
        remove();
        auto r = run_command({"ip", "link", "add", a_, "type", "veth", "peer", "name", b_});
        INFO(r.err);
        REQUIRE(r.status == 0);
    }
    ~VethPair() { remove(); }
    VethPair(const VethPair&) = delete;
    VethPair& operator=(const VethPair&) = delete;

    const std::string& a() const { return a_; }
    const std::string& b() const { return b_; }

    void ip(const std::vector<std::string>& args) const {
        std::vector<std::string> argv = {"ip"};
        argv.insert(argv.end(), args.begin(), args.end());
        auto r = run_command(argv);
        INFO(r.err);
        REQUIRE(r.status == 0);
    }

  private:
    void remove() const {
        for (const auto& name : {a_, b_})
            if (host_has(name)) run_command({"ip", "link", "del", name});
    }
    std::string a_, b_;
};

}  // namespace

TEST_CASE("netDevices: a veth end moves in renamed, with its addresses, and up") {
    HullEnv env;
    VethPair veth("hnd");
    // Documentation ranges only: the addresses are looked at, never used.
    veth.ip({"addr", "add", "192.0.2.10/24", "dev", veth.a()});
    veth.ip({"-6", "addr", "add", "2001:db8::10/64", "dev", veth.a(), "nodad"});
    // Not permanent: the spec moves permanent addresses only.
    veth.ip({"addr", "add", "198.51.100.7/24", "dev", veth.a(), "valid_lft", "600", "preferred_lft",
             "600"});
    auto bundle = env.bundle("b", {"sleep", "300"});
    bundle.set("/linux/netDevices", R"({")" + veth.a() + R"(":{"name":"ctr0"}})");

    auto created = env.hull({"create", "--bundle", bundle.path(), "c1"});
    INFO(created.err);
    REQUIRE(created.status == 0);
    // Gone from the host while the container lives; its peer stays.
    CHECK_FALSE(host_has(veth.a()));
    CHECK(host_has(veth.b()));
    REQUIRE(env.hull({"start", "c1"}).status == 0);

    auto inside = env.hull({"exec", "c1", "ip", "addr", "show", "dev", "ctr0"});
    INFO(inside.out << inside.err);
    CHECK(inside.status == 0);
    CHECK_THAT(inside.out, Catch::Contains("192.0.2.10/24"));
    CHECK_THAT(inside.out, Catch::Contains("2001:db8::10/64"));
    CHECK_THAT(inside.out, !Catch::Contains("198.51.100.7"));
    CHECK_THAT(inside.out, Catch::Contains(",UP"));
    auto old_name = env.hull({"exec", "c1", "ip", "link", "show", veth.a()});
    CHECK(old_name.status != 0);

    REQUIRE(env.hull({"delete", "-f", "c1"}).status == 0);
    // A veth dies with the namespace, and its peer with it (network_namespaces(7)); the
    // kernel frees the namespace asynchronously, so give it a moment.
    for (int i = 0; i < 100 && host_has(veth.b()); ++i)
        ::usleep(50 * 1000);
    CHECK_FALSE(host_has(veth.a()));
    CHECK_FALSE(host_has(veth.b()));
    CHECK(env.leaks() == "");
}

TEST_CASE("netDevices: without a name a device keeps its host name, %d is the kernel's") {
    HullEnv env;
    VethPair veth("hne");
    auto bundle = env.bundle("b", {"ip", "-o", "link", "show"});
    bundle.set("/linux/netDevices",
               R"({")" + veth.a() + R"(":{}, ")" + veth.b() + R"(":{"name":"tpl%d"}})");
    auto r = env.run(bundle, "c1");
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains(": " + veth.a() + "@"));
    CHECK_THAT(r.out, Catch::Contains(": tpl0@"));
    CHECK(env.leaks() == "");
}

TEST_CASE("netDevices: configs that cannot work are refused, and nothing is left behind") {
    HullEnv env;
    VethPair veth("hnf");
    struct Case {
        const char* what;
        std::function<void(hull::test::BusyboxBundle&)> setup;
        std::string expected;
    };
    const std::string dev = "/linux/netDevices/" + veth.a();
    std::vector<Case> cases = {
        {"a device the host does not have",
         [](auto& b) { b.set("/linux/netDevices", R"({"hullnosuch0":{}})"); },
         "/linux/netDevices/hullnosuch0: no network device \"hullnosuch0\" on the host"},
        {"no network namespace",
         [&](auto& b) {
             b.set("/linux/netDevices", R"({")" + veth.a() + R"(":{}})");
             auto& ns = b.config()["linux"]["namespaces"];
             for (auto it = ns.Begin(); it != ns.End(); ++it)
                 if (std::string((*it)["type"].GetString()) == "network") {
                     ns.Erase(it);
                     break;
                 }
             b.write_config();
         },
         dev + ": netDevices require a network namespace"},
        {"a network namespace joined by path, not a new one",
         [&](auto& b) {
             b.set("/linux/netDevices", R"({")" + veth.a() + R"(":{}})");
             auto& ns = b.config()["linux"]["namespaces"];
             for (auto& n : ns.GetArray())
                 if (std::string(n["type"].GetString()) == "network")
                     n.AddMember("path", "/proc/1/ns/net", b.config().GetAllocator());
             b.write_config();
         },
         dev + ": netDevices need a new network namespace"},
        {"a name taken in the container",
         [&](auto& b) { b.set("/linux/netDevices", R"({")" + veth.a() + R"(":{"name":"lo"}})"); },
         dev + ": a network device \"lo\" already exists in the container's network namespace"},
        {"two devices with one name inside",
         [&](auto& b) {
             b.set("/linux/netDevices", R"({")" + veth.a() + R"(":{"name":"same0"}, ")" + veth.b() +
                                            R"(":{"name":"same0"}})");
         },
         "/linux/netDevices/" + veth.b() + ": the name \"same0\" is also that of " + dev},
    };
    for (const auto& c : cases) {
        SECTION(c.what) {
            auto bundle = env.bundle("b", {"true"});
            c.setup(bundle);
            auto r = env.hull({"create", "--bundle", bundle.path(), "c1"});
            INFO(r.err);
            CHECK(r.status != 0);
            CHECK_THAT(r.err, Catch::Contains(c.expected));
            CHECK(env.hull({"list", "-q"}).out.empty());
            // Refused before the device left the host.
            CHECK(host_has(veth.a()));
            CHECK(env.leaks() == "");
        }
    }
}

TEST_CASE("netDevices: in a user namespace, made by clone3 or by unshare") {
    HullEnv env;
    VethPair veth("hng");
    veth.ip({"addr", "add", "192.0.2.20/24", "dev", veth.a()});
    auto user_bundle = [&](const std::function<void(hull::test::BusyboxBundle&)>& more) {
        auto b = env.bundle("b", {"ip", "addr", "show", "dev", "ctr0"});
        b.set("/linux/netDevices", R"({")" + veth.a() + R"(":{"name":"ctr0"}})");
        b.add_user_namespace();
        more(b);
        return b;
    };
    SECTION("clone3 makes every namespace") {
        auto b = user_bundle([](auto&) {});
        auto r = env.run(b, "c1");
        INFO(r.err);
        CHECK(r.status == 0);
        CHECK_THAT(r.out, Catch::Contains("inet 192.0.2.20/24"));
    }
    SECTION("init unshares after joining a namespace, without a pid namespace to fork for") {
        // A namespace joined by path with a new user namespace takes the slow path, and with
        // no new pid namespace nothing else makes init fork a second time.
        auto b = user_bundle([](auto& bundle) {
            auto& ns = bundle.config()["linux"]["namespaces"];
            for (auto it = ns.Begin(); it != ns.End();)
                if (std::string((*it)["type"].GetString()) == "pid")
                    it = ns.Erase(it);
                else
                    ++it;
            for (auto& n : ns.GetArray())
                if (std::string(n["type"].GetString()) == "uts")
                    n.AddMember("path", "/proc/self/ns/uts", bundle.config().GetAllocator());
            // proc can only be mounted by the owner of a pid namespace.
            auto& mounts = bundle.config()["mounts"];
            for (auto it = mounts.Begin(); it != mounts.End();)
                if (std::string((*it)["destination"].GetString()) == "/proc")
                    it = mounts.Erase(it);
                else
                    ++it;
            bundle.erase("/hostname");
            bundle.write_config();
        });
        auto r = env.run(b, "c1");
        INFO(r.err);
        CHECK(r.status == 0);
        CHECK_THAT(r.out, Catch::Contains("inet 192.0.2.20/24"));
    }
    CHECK(env.leaks() == "");
}
