#include <catch2/catch.hpp>

#include "base/error.hpp"
#include "runtime/cgroups/paths.hpp"

using namespace hull::cgroups;

TEST_CASE("paths: default and absolute paths hang off the mount point", "[cgroups][paths]") {
    Mount memory{"/sys/fs/cgroup/memory", "/", false, {"memory"}};
    CHECK(default_cgroup_path("abc") == "/hull/abc");
    CHECK(hierarchy_dir(memory, default_cgroup_path("abc"), "/process_api/x") ==
          "/sys/fs/cgroup/memory/hull/abc");
    CHECK(hierarchy_dir(memory, "//my//ctr/", "") == "/sys/fs/cgroup/memory/my/ctr");
}

TEST_CASE("paths: relative paths hang off our own cgroup, per hierarchy", "[cgroups][paths]") {
    Mount memory{"/sys/fs/cgroup/memory", "/", false, {"memory"}};
    Mount cpu{"/sys/fs/cgroup/cpu", "/", false, {"cpu"}};
    CHECK(hierarchy_dir(memory, "ctr/1", "/process_api/42eb") ==
          "/sys/fs/cgroup/memory/process_api/42eb/ctr/1");
    CHECK(hierarchy_dir(cpu, "ctr/1", "/") == "/sys/fs/cgroup/cpu/ctr/1");
}

TEST_CASE("paths: a mount whose root is not / strips that root", "[cgroups][paths]") {
    Mount m{"/sys/fs/cgroup", "/kubepods/pod1", true, {}};
    CHECK(path_in_mount(m, "ctr", "/kubepods/pod1/sandbox") == "/sandbox/ctr");
    CHECK(path_in_mount(m, "ctr", "/kubepods/pod1") == "/ctr");
}

TEST_CASE("paths: .. and the root itself are refused", "[cgroups][paths]") {
    Mount m{"/sys/fs/cgroup", "/", true, {}};
    CHECK_THROWS_AS(path_in_mount(m, "/a/../../etc", ""), hull::Error);
    CHECK_THROWS_AS(path_in_mount(m, "..", "/x"), hull::Error);
    CHECK_THROWS_AS(path_in_mount(m, "/", ""), hull::Error);
    CHECK_THROWS_AS(path_in_mount(m, "/a\nb", ""), hull::Error);
    CHECK(normalize_cgroup_path("/a/./b//") == "/a/b");
    CHECK(normalize_cgroup_path("a/b") == "a/b");
}

TEST_CASE("paths: the systemd form is told from a path", "[cgroups][paths]") {
    CHECK(is_systemd_form("system.slice:hull:abc"));
    CHECK(is_systemd_form("::abc"));
    CHECK_FALSE(is_systemd_form("/a:b:c"));
    CHECK_FALSE(is_systemd_form("a:b"));
    CHECK_FALSE(is_systemd_form(""));
}
