#include <catch2/catch.hpp>

#include "base/error.hpp"
#include "runtime/cgroups/convert.hpp"

using namespace hull::cgroups;
using hull::spec::DeviceCgroupRule;

TEST_CASE("convert: cpu shares <-> weight", "[cgroups][convert]") {
    CHECK(shares_to_weight(2) == 1);
    CHECK(shares_to_weight(1024) == 39);
    CHECK(shares_to_weight(262144) == 10000);
    CHECK(shares_to_weight(1) == 1);            // clamped
    CHECK(shares_to_weight(1000000) == 10000);  // clamped
    CHECK(weight_to_shares(1) == 2);
    CHECK(weight_to_shares(10000) == 262144);
    CHECK(weight_to_shares(100) == 2597);
}

TEST_CASE("convert: blkio weight <-> io.weight", "[cgroups][convert]") {
    CHECK(blkio_weight_to_io_weight(10) == 1);
    CHECK(blkio_weight_to_io_weight(1000) == 10000);
    CHECK(blkio_weight_to_io_weight(500) == 4950);
    CHECK(io_weight_to_blkio_weight(1) == 10);
    CHECK(io_weight_to_blkio_weight(10000) == 1000);
    CHECK_THROWS_AS(blkio_weight_to_io_weight(5), hull::Error);
    CHECK_THROWS_AS(blkio_weight_to_io_weight(1001), hull::Error);
}

TEST_CASE("convert: memory values and swap semantics", "[cgroups][convert]") {
    CHECK(v1_memory_value(-1, "f") == "-1");
    CHECK(v1_memory_value(4096, "f") == "4096");
    CHECK_THROWS_WITH(v1_memory_value(-2, "/linux/resources/memory/limit"),
                      Catch::StartsWith("/linux/resources/memory/limit: "));
    CHECK(v2_memory_value(-1, "f") == "max");
    CHECK(v2_memory_value(100, "f") == "100");

    CHECK(v2_swap_max(std::int64_t{100}, 300) == std::optional<std::string>("200"));
    CHECK(v2_swap_max(std::int64_t{100}, 100) == std::optional<std::string>("0"));
    CHECK(v2_swap_max(std::int64_t{100}, -1) == std::optional<std::string>("max"));
    CHECK(v2_swap_max(std::nullopt, -1) == std::optional<std::string>("max"));
    CHECK_FALSE(v2_swap_max(std::int64_t{100}, 0).has_value());
    CHECK_THROWS_WITH(v2_swap_max(std::int64_t{300}, 100),
                      Catch::StartsWith("/linux/resources/memory/swap: "));
    CHECK_THROWS_AS(v2_swap_max(std::nullopt, 100), hull::Error);
    CHECK_THROWS_AS(v2_swap_max(std::int64_t{-1}, 100), hull::Error);
}

TEST_CASE("convert: cpu.max and pids.max", "[cgroups][convert]") {
    CHECK(cpu_max(std::nullopt, std::nullopt) == "max 100000");
    CHECK(cpu_max(std::int64_t{-1}, std::uint64_t{50000}) == "max 50000");
    CHECK(cpu_max(std::int64_t{20000}, std::nullopt) == "20000 100000");
    CHECK(cpu_max(std::int64_t{20000}, std::uint64_t{250000}) == "20000 250000");
    CHECK(pids_max(-1) == "max");
    CHECK(pids_max(0) == "0");
    CHECK(pids_max(32) == "32");
}

TEST_CASE("convert: hugepage sizes and file names", "[cgroups][convert]") {
    CHECK(page_size_bytes("2MB") == 2u * 1024 * 1024);
    CHECK(page_size_bytes("64KB") == 64u * 1024);
    CHECK(page_size_bytes("1GB") == 1024u * 1024 * 1024);
    CHECK_THROWS_AS(page_size_bytes("2M"), hull::Error);
    CHECK_THROWS_AS(page_size_bytes("2mb"), hull::Error);
    CHECK_THROWS_AS(page_size_bytes("../2MB"), hull::Error);
    CHECK(hugetlb_v1_limit_file("2MB") == "hugetlb.2MB.limit_in_bytes");
    CHECK(hugetlb_v1_rsvd_file("2MB") == "hugetlb.2MB.rsvd.limit_in_bytes");
    CHECK(hugetlb_v2_max_file("1GB") == "hugetlb.1GB.max");
    CHECK(hugetlb_v2_rsvd_file("1GB") == "hugetlb.1GB.rsvd.max");
    CHECK_THROWS_AS(hugetlb_v2_max_file("x/../y"), hull::Error);
    CHECK(page_size_from_kb(2048) == "2MB");
    CHECK(page_size_from_kb(1048576) == "1GB");
    CHECK(page_size_from_kb(64) == "64KB");
}

TEST_CASE("convert: v1 device rule strings", "[cgroups][convert]") {
    CHECK(device_rule_v1(DeviceCgroupRule{true, "c", 1, 3, "rwm"}) == "c 1:3 rwm");
    CHECK(device_rule_v1(DeviceCgroupRule{false, "", std::nullopt, std::nullopt, "rwm"}) ==
          "a *:* rwm");
    CHECK(device_rule_v1(DeviceCgroupRule{true, "b", 8, std::nullopt, "r"}) == "b 8:* r");
    CHECK(device_rule_v1(DeviceCgroupRule{true, "c", std::nullopt, 5, ""}) == "c *:5 rwm");
    CHECK_THROWS_AS(device_rule_v1(DeviceCgroupRule{true, "x", 1, 3, "r"}), hull::Error);
    CHECK_THROWS_AS(device_rule_v1(DeviceCgroupRule{true, "c", 1, 3, "rx"}), hull::Error);
    CHECK_THROWS_AS(device_rule_v1(DeviceCgroupRule{true, "c", -5, 3, "r"}), hull::Error);
}

TEST_CASE("convert: per-device lines", "[cgroups][convert]") {
    CHECK(device_value_line(8, 0, 500) == "8:0 500");
    CHECK(rdma_max_line("mlx5_1", {3, std::nullopt}) == "mlx5_1 hca_handle=3");
    CHECK(rdma_max_line("mlx5_1", {3, 10}) == "mlx5_1 hca_handle=3 hca_object=10");
    CHECK_THROWS_WITH(rdma_max_line("mlx5_1", {}),
                      Catch::StartsWith("/linux/resources/rdma/mlx5_1"));
    CHECK_THROWS_AS(rdma_max_line("a b", {1, 1}), hull::Error);
    CHECK(ifpriomap_line({"eth0", 5}) == "eth0 5");
    CHECK_THROWS_AS(ifpriomap_line({"", 5}), hull::Error);
}

TEST_CASE("convert: unified keys", "[cgroups][convert]") {
    CHECK_NOTHROW(validate_unified_key("memory.high"));
    CHECK_NOTHROW(validate_unified_key("hugetlb.1GB.max"));
    CHECK_NOTHROW(validate_unified_key("cgroup.max.depth"));
    CHECK_THROWS_WITH(validate_unified_key("../memory.max"),
                      Catch::StartsWith("/linux/resources/unified/../memory.max: "));
    CHECK_THROWS_AS(validate_unified_key("sub/memory.max"), hull::Error);
    CHECK_THROWS_AS(validate_unified_key(".."), hull::Error);
    CHECK_THROWS_AS(validate_unified_key("memory..max"), hull::Error);
    CHECK_THROWS_AS(validate_unified_key(""), hull::Error);
    CHECK_THROWS_AS(validate_unified_key("cgroup.procs"), hull::Error);
    CHECK_THROWS_AS(validate_unified_key("nodot"), hull::Error);
    CHECK(unified_key_controller("hugetlb.1GB.max") == "hugetlb");
    CHECK(unified_key_controller("cgroup.max.depth") == "cgroup");
}
