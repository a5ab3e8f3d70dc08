#include <sys/mount.h>

#include <catch2/catch.hpp>
#include <set>

#include "base/error.hpp"
#include "base/syscalls.hpp"
#include "bundle/mount_entry.hpp"
#include "bundle/mount_options.hpp"
#include "spec/mount_option_table.hpp"
#include "support/feature_names.hpp"

using hull::bundle::bind_mount_attrs;
using hull::bundle::parse_mount_options;
using hull::bundle::parse_propagation;

TEST_CASE("no options: nothing set, no data", "[bundle][options]") {
    auto o = parse_mount_options({});
    CHECK(o.flags == 0);
    CHECK(o.clear_flags == 0);
    CHECK_FALSE(o.bind);
    CHECK(o.propagation.empty());
    CHECK(o.data.empty());
    CHECK_FALSE(o.has_recursive_attrs());
}

TEST_CASE("flag options set and clear MS_ flags", "[bundle][options]") {
    struct Case {
        const char* name;
        unsigned long flag;
        bool clear;
    };
    const Case cases[] = {
        {"ro", MS_RDONLY, false},
        {"rw", MS_RDONLY, true},
        {"nosuid", MS_NOSUID, false},
        {"suid", MS_NOSUID, true},
        {"nodev", MS_NODEV, false},
        {"dev", MS_NODEV, true},
        {"noexec", MS_NOEXEC, false},
        {"exec", MS_NOEXEC, true},
        {"sync", MS_SYNCHRONOUS, false},
        {"async", MS_SYNCHRONOUS, true},
        {"dirsync", MS_DIRSYNC, false},
        {"remount", MS_REMOUNT, false},
        {"mand", MS_MANDLOCK, false},
        {"nomand", MS_MANDLOCK, true},
        {"noatime", MS_NOATIME, false},
        {"atime", MS_NOATIME, true},
        {"nodiratime", MS_NODIRATIME, false},
        {"diratime", MS_NODIRATIME, true},
        {"relatime", MS_RELATIME, false},
        {"norelatime", MS_RELATIME, true},
        {"strictatime", MS_STRICTATIME, false},
        {"nostrictatime", MS_STRICTATIME, true},
        {"iversion", MS_I_VERSION, false},
        {"noiversion", MS_I_VERSION, true},
        {"lazytime", MS_LAZYTIME, false},
        {"nolazytime", MS_LAZYTIME, true},
        {"silent", MS_SILENT, false},
        {"loud", MS_SILENT, true},
        {"nosymfollow", MS_NOSYMFOLLOW, false},
        {"symfollow", MS_NOSYMFOLLOW, true},
    };
    for (const auto& c : cases) {
        INFO(c.name);
        auto o = parse_mount_options({c.name});
        CHECK(o.data.empty());
        if (c.clear) {
            CHECK(o.flags == 0);
            CHECK(o.clear_flags == c.flag);
        } else {
            CHECK(o.flags == c.flag);
            CHECK(o.clear_flags == 0);
        }
    }
}

TEST_CASE("later options override earlier ones", "[bundle][options]") {
    auto o = parse_mount_options({"ro", "rw"});
    CHECK((o.flags & MS_RDONLY) == 0);
    CHECK((o.clear_flags & MS_RDONLY) != 0);
    o = parse_mount_options({"rw", "ro"});
    CHECK((o.flags & MS_RDONLY) != 0);
    CHECK((o.clear_flags & MS_RDONLY) == 0);
    // Atime modes exclude each other.
    o = parse_mount_options({"noatime", "strictatime"});
    CHECK(o.flags == MS_STRICTATIME);
}

TEST_CASE("defaults is accepted and does nothing", "[bundle][options]") {
    auto o = parse_mount_options({"defaults"});
    CHECK(o.flags == 0);
    CHECK(o.data.empty());
}

TEST_CASE("bind and rbind", "[bundle][options]") {
    auto o = parse_mount_options({"bind"});
    CHECK(o.bind);
    CHECK_FALSE(o.recursive_bind);
    o = parse_mount_options({"rbind", "ro"});
    CHECK(o.bind);
    CHECK(o.recursive_bind);
    CHECK(o.flags == MS_RDONLY);
    CHECK(o.data.empty());
}

TEST_CASE("propagation options keep their order", "[bundle][options]") {
    auto o = parse_mount_options({"rprivate", "shared", "slave", "rslave", "unbindable",
                                  "runbindable", "private", "rshared"});
    REQUIRE(o.propagation.size() == 8);
    CHECK(o.propagation[0] == (MS_PRIVATE | MS_REC));
    CHECK(o.propagation[1] == MS_SHARED);
    CHECK(o.propagation[2] == MS_SLAVE);
    CHECK(o.propagation[3] == (MS_SLAVE | MS_REC));
    CHECK(o.propagation[4] == MS_UNBINDABLE);
    CHECK(o.propagation[5] == (MS_UNBINDABLE | MS_REC));
    CHECK(o.propagation[6] == MS_PRIVATE);
    CHECK(o.propagation[7] == (MS_SHARED | MS_REC));
    CHECK(o.flags == 0);
    CHECK(o.data.empty());
}

TEST_CASE("recursive options become mount_setattr attributes", "[bundle][options]") {
    struct Case {
        const char* name;
        std::uint64_t set;
        std::uint64_t clear;
    };
    const Case cases[] = {
        {"rro", MOUNT_ATTR_RDONLY, 0},
        {"rrw", 0, MOUNT_ATTR_RDONLY},
        {"rnosuid", MOUNT_ATTR_NOSUID, 0},
        {"rsuid", 0, MOUNT_ATTR_NOSUID},
        {"rnodev", MOUNT_ATTR_NODEV, 0},
        {"rdev", 0, MOUNT_ATTR_NODEV},
        {"rnoexec", MOUNT_ATTR_NOEXEC, 0},
        {"rexec", 0, MOUNT_ATTR_NOEXEC},
        {"rnodiratime", MOUNT_ATTR_NODIRATIME, 0},
        {"rdiratime", 0, MOUNT_ATTR_NODIRATIME},
        {"rnosymfollow", MOUNT_ATTR_NOSYMFOLLOW, 0},
        {"rsymfollow", 0, MOUNT_ATTR_NOSYMFOLLOW},
        {"rnoatime", MOUNT_ATTR_NOATIME, MOUNT_ATTR__ATIME},
        {"rstrictatime", MOUNT_ATTR_STRICTATIME, MOUNT_ATTR__ATIME},
        {"rrelatime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME},
        {"ratime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME},
        {"rnorelatime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME},
        {"rnostrictatime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME},
    };
    for (const auto& c : cases) {
        INFO(c.name);
        auto o = parse_mount_options({c.name});
        CHECK(o.recursive_attr_set == c.set);
        CHECK(o.recursive_attr_clear == c.clear);
        CHECK(o.has_recursive_attrs());
        CHECK(o.flags == 0);
        CHECK(o.data.empty());
    }
}

TEST_CASE("recursive options combine and the last atime mode wins", "[bundle][options]") {
    auto o = parse_mount_options({"rro", "rnosuid", "rnoatime", "rstrictatime"});
    CHECK(o.recursive_attr_set == (MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_STRICTATIME));
    CHECK(o.recursive_attr_clear == MOUNT_ATTR__ATIME);
    o = parse_mount_options({"rro", "rrw"});
    CHECK(o.recursive_attr_set == 0);
    CHECK(o.recursive_attr_clear == MOUNT_ATTR_RDONLY);
}

TEST_CASE("idmap, ridmap and tmpcopyup are flags, not data", "[bundle][options]") {
    auto o = parse_mount_options({"idmap"});
    CHECK(o.idmap);
    CHECK_FALSE(o.idmap_recursive);
    o = parse_mount_options({"ridmap", "tmpcopyup"});
    CHECK(o.idmap);
    CHECK(o.idmap_recursive);
    CHECK(o.tmpcopyup);
    CHECK(o.data.empty());
}

TEST_CASE("unknown options go to the data string in order", "[bundle][options]") {
    auto o = parse_mount_options({"nosuid", "mode=755", "noexec", "size=65536k", "newinstance"});
    CHECK(o.flags == (MS_NOSUID | MS_NOEXEC));
    CHECK(o.data == "mode=755,size=65536k,newinstance");
}

TEST_CASE("bind_mount_attrs maps only the options given", "[bundle][options]") {
    auto change = bind_mount_attrs(parse_mount_options({"bind", "ro", "nosuid", "dev"}));
    CHECK(change.set == (MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID));
    CHECK(change.clear == MOUNT_ATTR_NODEV);

    change = bind_mount_attrs(parse_mount_options({"bind"}));
    CHECK(change.set == 0);
    CHECK(change.clear == 0);

    change = bind_mount_attrs(parse_mount_options({"bind", "noatime"}));
    CHECK(change.set == MOUNT_ATTR_NOATIME);
    CHECK(change.clear == MOUNT_ATTR__ATIME);

    change = bind_mount_attrs(parse_mount_options({"bind", "atime"}));
    CHECK(change.set == MOUNT_ATTR_RELATIME);
    CHECK(change.clear == MOUNT_ATTR__ATIME);

    // Superblock flags have no per-mount attribute.
    change = bind_mount_attrs(parse_mount_options({"bind", "sync", "dirsync"}));
    CHECK(change.set == 0);
    CHECK(change.clear == 0);
}

TEST_CASE("rootfsPropagation values", "[bundle][options]") {
    CHECK(parse_propagation("shared") == (MS_SHARED | MS_REC));
    CHECK(parse_propagation("slave") == (MS_SLAVE | MS_REC));
    CHECK(parse_propagation("private") == (MS_PRIVATE | MS_REC));
    CHECK(parse_propagation("unbindable") == (MS_UNBINDABLE | MS_REC));
    CHECK(parse_propagation("rslave") == (MS_SLAVE | MS_REC));
    CHECK_THROWS_AS(parse_propagation("bogus"), hull::Error);
    CHECK_THROWS_WITH(parse_propagation(""), Catch::Contains("rootfsPropagation"));
}

TEST_CASE("clean_destination", "[bundle][options]") {
    using hull::bundle::clean_destination;
    CHECK(clean_destination("/proc") == "/proc");
    CHECK(clean_destination("proc") == "/proc");
    CHECK(clean_destination("//dev/./pts/") == "/dev/pts");
    CHECK(clean_destination("") == "/");
    CHECK(clean_destination("/a/../b") == "/a/../b");
}

TEST_CASE("mount_attr_from_flags", "[bundle][options]") {
    using hull::bundle::mount_attr_from_flags;
    CHECK(mount_attr_from_flags(0) == 0);
    CHECK(mount_attr_from_flags(MS_RDONLY | MS_NOEXEC | MS_SYNCHRONOUS) ==
          (MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOEXEC));
    CHECK(mount_attr_from_flags(MS_NOSUID | MS_NODEV) == (MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV));
}

namespace {

// Whether hull applies the option itself: the parser takes it (it is not passed on to the
// filesystem as data) and a bind mount may list it.
bool applied(const std::string& option) {
    hull::spec::Config config;
    config.mounts.push_back({"/mnt", "bind", "/tmp", {option}, {}, {}});
    try {
        hull::bundle::check_mount_options(config);
    } catch (const hull::Error&) {
        return false;
    }
    return hull::bundle::parse_mount_options({option}).data.empty();
}

}  // namespace

// features.json's mountOptions come from spec/mount_option_table, the tables
// parse_mount_options applies; this holds the two sides of that claim.
TEST_CASE("every mount option features reports is one bundle applies", "[bundle][options]") {
    for (const auto& name : hull::test::features_names("/mountOptions")) {
        INFO(name);
        CHECK(applied(name));
    }
}

TEST_CASE("every mount option bundle applies is one features reports", "[bundle][options]") {
    auto reported = hull::test::features_names("/mountOptions");
    // mount(8)'s and the runtimes' option names, and some hull must pass on as data.
    std::set<std::string> candidates = {
        "_netdev",  "auto",        "bind",      "context=x", "defaults", "group", "idmap",
        "mode=755", "newinstance", "nofail",    "noauto",    "nouser",   "owner", "rbind",
        "ridmap",   "size=64k",    "tmpcopyup", "uid=0",     "user",     "users", "x-mount.mkdir"};
    candidates.insert(reported.begin(), reported.end());
    for (const auto& table : hull::spec::mount_flag_options())
        candidates.emplace(table.name);
    for (const auto& table : hull::spec::mount_recursive_options())
        candidates.emplace(table.name);
    for (const auto& table : hull::spec::mount_propagation_options())
        candidates.emplace(table.name);
    for (const auto& name : candidates) {
        INFO(name);
        // "defaults" is accepted and means nothing, so it is not claimed.
        CHECK((applied(name) && name != "defaults") == (reported.count(name) == 1));
    }
}
