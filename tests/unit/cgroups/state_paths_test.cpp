#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "base/log.hpp"
#include "runtime/cgroups/manager.hpp"
#include "runtime/cgroups/paths.hpp"

using namespace hull::cgroups;

namespace {

// A one-hierarchy v2 state with the given mountpoint, dir and created list.
std::string state(const std::string& mountpoint, const std::string& dir,
                  const std::string& created = "") {
    return R"({"layout":"v2","cgroupsPath":"/hull/c1","hierarchies":[{"mountpoint":")" +
           mountpoint + R"(","v2":true,"controllers":[],"dir":")" + dir + R"(","created":[)" +
           created + "]}]}";
}

}  // namespace

TEST_CASE("paths: lexically_below", "[cgroups][paths]") {
    CHECK(lexically_below("/sys/fs/cgroup/hull/c1", "/sys/fs/cgroup"));
    CHECK(lexically_below("/sys/fs/cgroup/x", "/sys/fs/cgroup"));
    CHECK(lexically_below("/x/y", "/"));
    CHECK_FALSE(lexically_below("/sys/fs/cgroup", "/sys/fs/cgroup"));
    CHECK_FALSE(lexically_below("/sys/fs/cgroup/", "/sys/fs/cgroup"));
    CHECK_FALSE(lexically_below("/sys/fs/cgroupx/y", "/sys/fs/cgroup"));
    CHECK_FALSE(lexically_below("/sys/fs/cgroup/..", "/sys/fs/cgroup"));
    CHECK_FALSE(lexically_below("/sys/fs/cgroup/a/../../etc", "/sys/fs/cgroup"));
    CHECK_FALSE(lexically_below("/sys/fs/cgroup/a/..", "/sys/fs/cgroup"));
    CHECK_FALSE(lexically_below("/sys/fs/cgroup/./a", "/sys/fs/cgroup"));
    CHECK_FALSE(lexically_below("/sys/fs/cgroup//a", "/sys/fs/cgroup"));
    CHECK_FALSE(lexically_below("/sys/fs/cgroup/a/", "/sys/fs/cgroup"));
    CHECK_FALSE(lexically_below("/sys/fs/cgroup/a\nb", "/sys/fs/cgroup"));
    CHECK_FALSE(lexically_below("/sys/fs/cgroup/a", ""));
    CHECK_FALSE(lexically_below("sys/a", "sys"));
    CHECK_FALSE(lexically_below("/sys/../etc/a", "/sys/../etc"));
    CHECK_FALSE(lexically_below("/sys/fs/cgroup/a", "/sys/fs/cgroup/"));
}

TEST_CASE("json: recorded paths must stay inside their mount", "[cgroups][json]") {
    hull::Logger log;
    const std::string mp = "/sys/fs/cgroup/unified";
    CHECK(manager_from_json(state(mp, mp + "/hull/c1", '"' + mp + "/hull\",\"" + mp + "/hull/c1\""),
                            log));
    for (const auto& dir :
         std::vector<std::string>{mp, mp + "/", mp + "/..", mp + "/hull/../..", mp + "/./x",
                                  mp + "//x", mp + "x/y", std::string("/etc/x")}) {
        INFO(dir);
        CHECK_THROWS_WITH(manager_from_json(state(mp, dir), log), Catch::Contains("is not below"));
    }
    // A created parent must be dir itself or one of its parents, inside the mount.
    for (const auto& created : std::vector<std::string>{
             mp, mp + "/..", mp + "/other", mp + "/hull/c", "/etc", mp + "/hull/c1/x", ""}) {
        INFO(created);
        CHECK_THROWS_WITH(manager_from_json(state(mp, mp + "/hull/c1", '"' + created + '"'), log),
                          Catch::Contains("created"));
    }
    // A relative or unclean mountpoint cannot anchor anything.
    CHECK_THROWS(manager_from_json(state("sys/fs/cgroup", "sys/fs/cgroup/x"), log));
    CHECK_THROWS(manager_from_json(state("", "/x"), log));
    CHECK_THROWS(manager_from_json(state("/sys/../etc", "/sys/../etc/x"), log));
    CHECK_THROWS_WITH(manager_from_json(std::string(10000, '['), log),
                      Catch::Contains("nested deeper than 128 levels"));
}
