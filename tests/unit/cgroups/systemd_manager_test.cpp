#include <catch2/catch.hpp>

#include "base/error.hpp"
#include "base/log.hpp"
#include "runtime/cgroups/manager.hpp"
#include "runtime/cgroups/systemd_manager.hpp"

using namespace hull::cgroups;

TEST_CASE("systemd: without systemd as PID 1 the driver is a clear error, never cgroupfs",
          "[cgroups][systemd]") {
    hull::Logger log;
    const std::string none = "/nonexistent/hull-test/systemd";
    try {
        open_systemd_manager("system.slice:hull:abc", "abc", log, none);
        FAIL("expected an error");
    } catch (const hull::Error& e) {
        CHECK_THAT(e.what(), Catch::Contains("cgroupsPath \"system.slice:hull:abc\"") &&
                                 Catch::Contains("systemd cgroup driver requested but systemd is "
                                                 "not PID 1") &&
                                 Catch::Contains("/run/systemd/private") && Catch::Contains(none));
    }
    // The path is checked first: a cgroupfs path with --systemd-cgroup is named.
    CHECK_THROWS_WITH(open_systemd_manager("/hull/x", "x", log, none),
                      Catch::Contains("cgroupsPath \"/hull/x\""));
    CHECK_THROWS_WITH(open_systemd_manager("", "x", log, none), Catch::Contains(":hull:x"));
}

TEST_CASE("systemd: the manager's state names its unit and is checked when read back",
          "[cgroups][systemd]") {
    hull::Logger log;
    auto m =
        manager_from_json(R"({"driver":"systemd","unit":"hull-a.scope","slice":"a-b.slice",)"
                          R"("description":"hull container a",)"
                          R"("dir":"/sys/fs/cgroup/a.slice/a-b.slice/hull-a.scope","owned":true})",
                          log);
    CHECK(manager_to_json(*m) ==
          R"({"driver":"systemd","unit":"hull-a.scope","slice":"a-b.slice",)"
          R"("description":"hull container a",)"
          R"("dir":"/sys/fs/cgroup/a.slice/a-b.slice/hull-a.scope","owned":true})");
    CHECK_THAT(m->describe(), Catch::Contains("hull-a.scope"));
    CHECK_THROWS_WITH(
        manager_from_json(R"({"driver":"systemd","unit":"x.scope","slice":"s.slice",)"
                          R"("description":"","dir":"/sys/fs/cgroup/../etc/x.scope","owned":true})",
                          log),
        Catch::Contains("not below"));
    CHECK_THROWS_WITH(
        manager_from_json(R"({"driver":"systemd","unit":"x.scope","slice":"s.slice",)"
                          R"("description":"","dir":"/sys/fs/cgroup/s.slice/other","owned":true})",
                          log),
        Catch::Contains("is not unit x.scope"));
    CHECK_THROWS_WITH(manager_from_json(R"({"driver":"cgroupfs2"})", log),
                      Catch::Contains("unknown \"driver\""));
}
