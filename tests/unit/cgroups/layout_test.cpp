#include <catch2/catch.hpp>

#include "base/error.hpp"
#include "runtime/cgroups/layout.hpp"

using namespace hull::cgroups;

namespace {

// This host: v1 controllers, cpu and cpuacct mounted apart, an empty cgroup2 at unified/.
const char* kHybrid =
    "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
    "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
    "33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct\n"
    "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
    "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd\n"
    "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate\n";

const char* kV1 =
    "22 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw\n"
    "31 23 0:28 / /sys/fs/cgroup ro - tmpfs tmpfs ro,mode=755\n"
    "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw shared:3 - cgroup cgroup rw,cpu,cpuacct\n"
    "33 31 0:30 / /sys/fs/cgroup/pids rw shared:4 - cgroup cgroup rw,pids\n"
    "34 31 0:31 / /sys/fs/cgroup/systemd rw - cgroup cgroup "
    "rw,xattr,release_agent=/x,name=systemd\n";

const char* kV2 =
    "22 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw\n"
    "30 22 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 "
    "rw,nsdelegate,memory_recursiveprot\n";

}  // namespace

TEST_CASE("layout: hybrid host with an empty unified mount", "[cgroups][layout]") {
    CHECK(detect_layout_from(kHybrid) == Layout::hybrid);
    auto mounts = parse_cgroup_mounts(kHybrid);
    REQUIRE(mounts.size() == 5);  // tmpfs is not a cgroup mount
    CHECK(mounts[0].mountpoint == "/sys/fs/cgroup/cpu");
    CHECK(mounts[0].controllers == std::vector<std::string>{"cpu"});
    CHECK(mounts[3].controllers == std::vector<std::string>{"name=systemd"});  // xattr dropped
    CHECK(mounts[4].v2);
    CHECK(mounts[4].mountpoint == "/sys/fs/cgroup/unified");
}

TEST_CASE("layout: pure v1 with co-mounted controllers", "[cgroups][layout]") {
    CHECK(detect_layout_from(kV1) == Layout::v1);
    auto mounts = parse_cgroup_mounts(kV1);
    REQUIRE(mounts.size() == 3);
    CHECK(mounts[0].controllers == std::vector<std::string>{"cpu", "cpuacct"});
    CHECK(mounts[0].mountpoint == "/sys/fs/cgroup/cpu,cpuacct");
}

TEST_CASE("layout: pure v2", "[cgroups][layout]") {
    CHECK(detect_layout_from(kV2) == Layout::v2);
    auto mounts = parse_cgroup_mounts(kV2);
    REQUIRE(mounts.size() == 1);
    CHECK(mounts[0].v2);
    CHECK(mounts[0].controllers.empty());
}

TEST_CASE("layout: no cgroup mount is an error, a bare name=systemd is not v1",
          "[cgroups][layout]") {
    CHECK_THROWS_AS(detect_layout_from("22 1 8:1 / / rw - ext4 /dev/sda1 rw\n"), hull::Error);
    const char* only_named =
        "34 31 0:31 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,name=systemd\n"
        "30 22 0:26 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n";
    CHECK(detect_layout_from(only_named) == Layout::v2);
}

TEST_CASE("layout: a bind-mounted duplicate hierarchy is kept once", "[cgroups][layout]") {
    std::string text = std::string(kV2) + "50 22 0:26 / /run/elsewhere rw - cgroup2 cgroup2 rw\n";
    CHECK(parse_cgroup_mounts(text).size() == 1);
}

TEST_CASE("layout: the mountpoint filter applies before duplicates are dropped",
          "[cgroups][layout]") {
    // The same memory hierarchy bound elsewhere first: a caller that wants only the mounts
    // under /sys/fs/cgroup still gets it, from its own mount point.
    std::string text =
        "40 22 0:29 / /run/elsewhere rw - cgroup cgroup rw,memory\n"
        "32 31 0:29 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n";
    auto mounts = parse_cgroup_mounts(text, [](const std::string& mountpoint) {
        return mountpoint.rfind("/sys/fs/cgroup/", 0) == 0;
    });
    REQUIRE(mounts.size() == 1);
    CHECK(mounts[0].mountpoint == "/sys/fs/cgroup/memory");
    CHECK(mounts[0].controllers == std::vector<std::string>{"memory"});
    CHECK(parse_cgroup_mounts(text).front().mountpoint == "/run/elsewhere");
}

TEST_CASE("layout: octal escapes in the mount point are decoded", "[cgroups][layout]") {
    auto mounts = parse_cgroup_mounts("32 31 0:29 / /mnt/my\\040cg rw - cgroup cgroup rw,memory\n");
    REQUIRE(mounts.size() == 1);
    CHECK(mounts[0].mountpoint == "/mnt/my cg");
}

TEST_CASE("layout: /proc/self/cgroup parsing and own path per hierarchy", "[cgroups][layout]") {
    const char* text =
        "9:name=systemd:/\n"
        "4:memory:/process_api/42eb\n"
        "1:cpu,cpuacct:/a/b\n"
        "0::/\n";
    auto ms = parse_proc_cgroup(text);
    REQUIRE(ms.size() == 4);
    CHECK(ms[1].hierarchy_id == 4);
    CHECK(ms[1].controllers == std::vector<std::string>{"memory"});
    CHECK(ms[3].controllers.empty());

    Mount memory{"/sys/fs/cgroup/memory", "/", false, {"memory"}};
    Mount cpu{"/sys/fs/cgroup/cpu", "/", false, {"cpu"}};
    Mount systemd{"/sys/fs/cgroup/systemd", "/", false, {"name=systemd"}};
    Mount v2{"/sys/fs/cgroup/unified", "/", true, {}};
    Mount pids{"/sys/fs/cgroup/pids", "/", false, {"pids"}};
    CHECK(own_cgroup_path(ms, memory) == "/process_api/42eb");
    CHECK(own_cgroup_path(ms, cpu) == "/a/b");
    CHECK(own_cgroup_path(ms, systemd) == "/");
    CHECK(own_cgroup_path(ms, v2) == "/");
    CHECK_THROWS_AS(own_cgroup_path(ms, pids), hull::Error);
    CHECK_THROWS_AS(parse_proc_cgroup("garbage\n"), hull::Error);
}

TEST_CASE("layout: names round-trip", "[cgroups][layout]") {
    for (auto l : {Layout::v1, Layout::hybrid, Layout::v2}) {
        CHECK(layout_from_name(layout_name(l)) == l);
    }
    CHECK_THROWS_AS(layout_from_name("v3"), hull::Error);
}
