#include <catch2/catch.hpp>

#include "base/error.hpp"
#include "base/log.hpp"
#include "runtime/cgroups/fs_manager.hpp"
#include "runtime/cgroups/manager.hpp"

using namespace hull::cgroups;

TEST_CASE("json: a manager survives the round trip through its state string", "[cgroups][json]") {
    hull::Logger log;
    Hierarchy mem{"/sys/fs/cgroup/memory",
                  false,
                  {"memory"},
                  "/sys/fs/cgroup/memory/hull/c1",
                  {"/sys/fs/cgroup/memory/hull", "/sys/fs/cgroup/memory/hull/c1"}};
    Hierarchy uni{"/sys/fs/cgroup/unified", true, {}, "/sys/fs/cgroup/unified/hull/c1", {}};
    auto m = make_manager(Layout::hybrid, "/hull/c1", {mem, uni}, log);
    std::string json = manager_to_json(*m);
    auto back = manager_from_json(json, log);
    CHECK(manager_to_json(*back) == json);
    // hybrid: clone3 goes straight into the unified part (which this test did not create).
    CHECK_THROWS_WITH(back->cgroup_fd_for_clone(),
                      Catch::Contains("/sys/fs/cgroup/unified/hull/c1"));
    CHECK_THAT(back->describe(), Catch::Contains("/sys/fs/cgroup/memory/hull/c1"));
    auto* fs = dynamic_cast<FsManager*>(back.get());
    REQUIRE(fs);
    CHECK(fs->layout() == Layout::hybrid);
    REQUIRE(fs->hierarchies().size() == 2);
    CHECK(fs->hierarchies()[0].created.size() == 2);
    CHECK(fs->hierarchies()[1].v2);
}

TEST_CASE("json: malformed or escaping state is refused", "[cgroups][json]") {
    hull::Logger log;
    CHECK_THROWS_AS(manager_from_json("not json", log), hull::Error);
    CHECK_THROWS_AS(
        manager_from_json("{\"layout\":\"v2\",\"cgroupsPath\":\"/x\",\"hierarchies\":[]}", log),
        hull::Error);
    CHECK_THROWS_AS(
        manager_from_json(
            "{\"layout\":\"v2\",\"cgroupsPath\":\"/x\",\"hierarchies\":[{\"mountpoint\":"
            "\"/sys/fs/cgroup\",\"v2\":true,\"controllers\":[],\"dir\":\"/etc/x\","
            "\"created\":[]}]}",
            log),
        hull::Error);
}
