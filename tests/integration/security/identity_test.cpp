// apply_identity in a forked root child, checked in /proc/self/status.
#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "base/file.hpp"
#include "child.hpp"
#include "runtime/security/identity.hpp"

namespace sec = hull::security;
using hull::security::test::run_in_child;
using hull::security::test::status_field;

namespace {

std::string snapshot() {
    std::string out;
    for (const char* f :
         {"Uid", "Gid", "Groups", "CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"}) {
        out += std::string(f) + "=" + status_field(f) + "\n";
    }
    return out;
}

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v)
        out += s + "\n";
    return out;
}

}  // namespace

TEST_CASE("apply_identity without capabilities: the kernel's uid rules apply",
          "[security][identity]") {
    REQUIRE(geteuid() == 0);
    auto r = run_in_child([] {
        hull::spec::User user;
        user.uid = 1000;
        user.gid = 1001;
        user.additional_gids = {10, 20};
        auto warnings = sec::apply_identity(user, std::nullopt).warnings;
        return snapshot() + join(warnings);
    });
    REQUIRE(r.ok());
    CHECK_THAT(r.output, Catch::Contains("Uid=1000\t1000\t1000\t1000\n"));
    CHECK_THAT(r.output, Catch::Contains("Gid=1001\t1001\t1001\t1001\n"));
    CHECK_THAT(r.output, Catch::Contains("Groups=10 20\n"));
    CHECK_THAT(r.output, Catch::Contains("CapEff=0000000000000000\n"));
    CHECK_THAT(r.output, Catch::Contains("CapPrm=0000000000000000\n"));
    CHECK_THAT(r.output, Catch::Contains("CapAmb=0000000000000000\n"));
}

TEST_CASE("apply_identity keeps exactly the configured capabilities for a non-root user",
          "[security][identity]") {
    auto r = run_in_child([] {
        hull::spec::User user;
        user.uid = 1000;
        user.gid = 1000;
        hull::spec::Capabilities caps;
        caps.bounding = {"CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE"};
        caps.permitted = {"CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE"};
        caps.effective = {"CAP_CHOWN", "CAP_NET_BIND_SERVICE"};
        caps.inheritable = {"CAP_NET_BIND_SERVICE"};
        caps.ambient = {"CAP_NET_BIND_SERVICE"};
        auto warnings = sec::apply_identity(user, caps).warnings;
        return snapshot() + join(warnings);
    });
    REQUIRE(r.ok());
    // CHOWN=0, KILL=5, NET_BIND_SERVICE=10
    CHECK_THAT(r.output, Catch::Contains("Uid=1000\t1000\t1000\t1000\n"));
    CHECK_THAT(r.output, Catch::Contains("Groups=\n"));
    CHECK_THAT(r.output, Catch::Contains("CapBnd=0000000000000421\n"));
    CHECK_THAT(r.output, Catch::Contains("CapPrm=0000000000000421\n"));
    CHECK_THAT(r.output, Catch::Contains("CapEff=0000000000000401\n"));
    CHECK_THAT(r.output, Catch::Contains("CapInh=0000000000000400\n"));
    CHECK_THAT(r.output, Catch::Contains("CapAmb=0000000000000400\n"));
    CHECK(r.output.find("capability") == std::string::npos);  // no warnings
}

TEST_CASE("apply_identity as root with a reduced set, ungrantable caps only warn",
          "[security][identity]") {
    auto r = run_in_child([] {
        hull::spec::User user;  // uid 0
        hull::spec::Capabilities caps;
        caps.bounding = {"CAP_SYS_ADMIN", "CAP_NOT_A_CAP"};
        caps.permitted = {"CAP_SYS_ADMIN"};
        caps.effective = {"CAP_SYS_ADMIN"};
        // inheritable, ambient absent: keep nothing
        auto warnings = sec::apply_identity(user, caps).warnings;
        return snapshot() + join(warnings);
    });
    REQUIRE(r.ok());
    CHECK_THAT(r.output, Catch::Contains("Uid=0\t0\t0\t0\n"));
    CHECK_THAT(r.output, Catch::Contains("CapBnd=0000000000200000\n"));
    CHECK_THAT(r.output, Catch::Contains("CapEff=0000000000200000\n"));
    CHECK_THAT(r.output, Catch::Contains("CapPrm=0000000000200000\n"));
    CHECK_THAT(r.output, Catch::Contains("CapInh=0000000000000000\n"));
    CHECK_THAT(r.output, Catch::Contains("bounding capability CAP_NOT_A_CAP: unknown, ignored\n"));
}

TEST_CASE("apply_identity: a capability outside the runtime's bounding set is a warning",
          "[security][identity]") {
    auto r = run_in_child([] {
        // Make the premise true regardless of the host: drop CAP_SYS_RESOURCE first.
        hull::spec::Capabilities first;
        first.bounding = first.permitted = first.effective =
            std::vector<std::string>{"CAP_SETPCAP", "CAP_SETUID", "CAP_SETGID", "CAP_CHOWN"};
        sec::apply_identity(hull::spec::User{}, first);
        hull::spec::Capabilities caps;
        caps.bounding = caps.permitted = caps.effective =
            std::vector<std::string>{"CAP_CHOWN", "CAP_SYS_RESOURCE"};
        auto warnings = sec::apply_identity(hull::spec::User{}, caps).warnings;
        return snapshot() + join(warnings);
    });
    REQUIRE(r.ok());
    CHECK_THAT(r.output, Catch::Contains("CapBnd=0000000000000001\n"));
    CHECK_THAT(r.output, Catch::Contains("CapEff=0000000000000001\n"));
    CHECK_THAT(r.output, Catch::Contains("bounding capability CAP_SYS_RESOURCE: not in the "
                                         "runtime's bounding set, not granted"));
    CHECK_THAT(r.output, Catch::Contains("permitted capability CAP_SYS_RESOURCE: not in the "
                                         "runtime's permitted set, not granted"));
}

TEST_CASE("apply_identity sets the umask only when given", "[security][identity]") {
    auto r = run_in_child([] {
        ::umask(0077);
        hull::spec::User user;
        sec::apply_identity(user, std::nullopt);
        mode_t unchanged = ::umask(0077);
        user.umask = 027;
        sec::apply_identity(user, std::nullopt);
        mode_t set = ::umask(0);
        return std::to_string(unchanged) + " " + std::to_string(set);
    });
    REQUIRE(r.ok());
    CHECK(r.output == std::to_string(0077) + " " + std::to_string(027));
}

TEST_CASE("apply_identity: additionalGids with setgroups denied is an error",
          "[security][identity]") {
    auto r = run_in_child([] {
        if (::unshare(CLONE_NEWUSER) < 0) return std::string("unshare failed");
        hull::write_file("/proc/self/setgroups", "deny");
        hull::write_file("/proc/self/uid_map", "0 0 1");
        hull::write_file("/proc/self/gid_map", "0 0 1");
        hull::spec::User user;
        std::string first = "no-gids-ok:";
        sec::apply_identity(user, std::nullopt);  // no gids: setgroups is skipped, no error
        user.additional_gids = {5};
        sec::apply_identity(user, std::nullopt);
        return first + "applied";
    });
    CHECK(r.exit_code == 1);
    CHECK(r.output == "additionalGids requested but setgroups is denied in this user namespace");
}
