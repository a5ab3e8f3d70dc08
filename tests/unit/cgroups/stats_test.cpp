#include <catch2/catch.hpp>

#include "runtime/cgroups/stats.hpp"

using namespace hull::cgroups;

TEST_CASE("stats: flat keyed files", "[cgroups][stats]") {
    auto m = parse_flat_keyed("cache 4096\nrss 8192\nbogus x\noom_kill 2\n");
    CHECK(m.size() == 3);
    CHECK(m["cache"] == 4096);
    CHECK(m["oom_kill"] == 2);
}

TEST_CASE("stats: v1 blkio and v2 io.stat", "[cgroups][stats]") {
    auto v1 = parse_blkio_v1("8:0 Read 4096\n8:0 Write 512\n8:0 Total 4608\nTotal 4608\n");
    REQUIRE(v1.size() == 3);
    CHECK(v1[1].major == 8);
    CHECK(v1[1].op == "Write");
    CHECK(v1[1].value == 512);

    BlkioStats b;
    parse_io_stat_v2("259:0 rbytes=100 wbytes=200 rios=3 wios=4 dbytes=0 dios=0\n", b);
    REQUIRE(b.io_service_bytes_recursive.size() == 2);
    CHECK(b.io_service_bytes_recursive[0].major == 259);
    CHECK(b.io_service_bytes_recursive[1].value == 200);
    REQUIRE(b.io_serviced_recursive.size() == 2);
    CHECK(b.io_serviced_recursive[0].value == 3);
}

TEST_CASE("stats: JSON has runc's events keys", "[cgroups][stats]") {
    Stats s;
    s.cpu.usage_total = 7;
    s.cpu.usage_percpu = {3, 4};
    s.pids.current = 2;
    s.hugetlb["2MB"].usage = 5;
    s.memory.raw["cache"] = 9;
    std::string j = stats_to_json(s);
    CHECK_THAT(j, Catch::Contains("\"cpu\":{\"usage\":{\"total\":7,\"percpu\":[3,4]"));
    CHECK_THAT(j, Catch::Contains("\"throttledPeriods\":0"));
    CHECK_THAT(j, Catch::Contains("\"pids\":{\"current\":2"));
    CHECK_THAT(j, Catch::Contains("\"hugetlb\":{\"2MB\":{\"usage\":5"));
    CHECK_THAT(j, Catch::Contains("\"raw\":{\"cache\":9}"));
    CHECK_THAT(j, Catch::Contains("\"kernelTCP\":{"));
}
