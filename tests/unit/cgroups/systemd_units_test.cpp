#include <catch2/catch.hpp>

#include "base/error.hpp"
#include "runtime/cgroups/convert.hpp"
#include "runtime/cgroups/systemd_units.hpp"

using namespace hull::cgroups;

namespace Catch {
template <>
struct StringMaker<UnitProperty> {
    static std::string convert(const UnitProperty& p) {
        std::string v = std::visit(
            [](const auto& x) -> std::string {
                using T = std::decay_t<decltype(x)>;
                if constexpr (std::is_same_v<T, bool>)
                    return x ? "true" : "false";
                else if constexpr (std::is_same_v<T, std::uint64_t>)
                    return std::to_string(x);
                else if constexpr (std::is_same_v<T, std::string>)
                    return "\"" + x + "\"";
                else {
                    std::string out;
                    for (auto e : x)
                        out += (out.empty() ? "" : ",") + std::to_string(e);
                    return "[" + out + "]";
                }
            },
            p.value);
        return p.name + "=" + v;
    }
};
}  // namespace Catch

TEST_CASE("systemd: slices expand into their parents", "[cgroups][systemd]") {
    CHECK(expand_slice("system.slice") == "/system.slice");
    CHECK(expand_slice("a-b.slice") == "/a.slice/a-b.slice");
    CHECK(expand_slice("a-b-c.slice") == "/a.slice/a-b.slice/a-b-c.slice");
    CHECK(expand_slice("user-1000.slice") == "/user.slice/user-1000.slice");
    CHECK(expand_slice("-.slice") == "/");
    CHECK_THROWS_WITH(expand_slice("a.slice/b.slice"), Catch::Contains("must not contain \"/\""));
    CHECK_THROWS_WITH(expand_slice("a--b.slice"), Catch::Contains("empty part"));
    CHECK_THROWS_WITH(expand_slice("-a.slice"), Catch::Contains("empty part"));
    CHECK_THROWS_WITH(expand_slice("a-.slice"), Catch::Contains("empty part"));
    CHECK_THROWS_WITH(expand_slice("system.scope"), Catch::Contains("not a slice"));
    CHECK_THROWS_WITH(expand_slice(".slice"), Catch::Contains("not a slice"));
    CHECK_THROWS_WITH(expand_slice("a b.slice"), Catch::Contains("not a valid"));
}

TEST_CASE("systemd: cgroupsPath slice:prefix:name gives runc's unit names", "[cgroups][systemd]") {
    auto u = parse_systemd_cgroups_path("system.slice:hull:abc", "id");
    CHECK(u.slice == "system.slice");
    CHECK(u.unit == "hull-abc.scope");
    CHECK(u.cgroup_path == "/system.slice/hull-abc.scope");

    u = parse_systemd_cgroups_path(":docker:abc", "id");  // empty slice -> system.slice
    CHECK(u.slice == "system.slice");
    CHECK(u.unit == "docker-abc.scope");

    u = parse_systemd_cgroups_path("machine-pods.slice::abc", "id");  // empty prefix
    CHECK(u.unit == "abc.scope");
    CHECK(u.cgroup_path == "/machine.slice/machine-pods.slice/abc.scope");

    u = parse_systemd_cgroups_path("a.slice:ignored:b-c.slice", "id");  // a slice as the unit
    CHECK(u.unit == "b-c.slice");
    CHECK(u.cgroup_path == "/a.slice/b-c.slice");

    u = parse_systemd_cgroups_path("-.slice:p:n", "id");
    CHECK(u.cgroup_path == "/p-n.scope");

    u = parse_systemd_cgroups_path("", "ctr1");  // runc's default, with hull as the prefix
    CHECK(u.slice == "system.slice");
    CHECK(u.unit == "hull-ctr1.scope");
}

TEST_CASE("systemd: malformed cgroupsPath errors name it", "[cgroups][systemd]") {
    CHECK_THROWS_WITH(
        parse_systemd_cgroups_path("/hull/x", "id"),
        Catch::Contains("cgroupsPath \"/hull/x\"") && Catch::Contains("slice:prefix:name"));
    CHECK_THROWS_WITH(parse_systemd_cgroups_path("a:b:c:d", "id"),
                      Catch::Contains("slice:prefix:name"));
    CHECK_THROWS_WITH(parse_systemd_cgroups_path("system.slice:hull:", "id"),
                      Catch::Contains("name") && Catch::Contains("empty"));
    CHECK_THROWS_WITH(parse_systemd_cgroups_path("x.slice:hull:a/b", "id"),
                      Catch::Contains("cgroupsPath \"x.slice:hull:a/b\""));
    CHECK_THROWS_WITH(
        parse_systemd_cgroups_path("nope:hull:a", "id"),
        Catch::Contains("cgroupsPath \"nope:hull:a\"") && Catch::Contains("not a slice"));
    CHECK_THROWS_WITH(parse_systemd_cgroups_path("a/b.slice:hull:a", "id"),
                      Catch::Contains("must not contain"));
    CHECK_THROWS_WITH(
        parse_systemd_cgroups_path("system.slice:hull:" + std::string(300, 'x'), "id"),
        Catch::Contains("too long"));
}

TEST_CASE("systemd: CPU lists become systemd's bitmask", "[cgroups][systemd]") {
    using V = std::vector<std::uint8_t>;
    CHECK(cpu_list_mask("0", "f") == V{0x01});
    CHECK(cpu_list_mask("0-3", "f") == V{0x0f});
    CHECK(cpu_list_mask("1,3", "f") == V{0x0a});
    CHECK(cpu_list_mask("0-3,8", "f") == V{0x0f, 0x01});
    CHECK(cpu_list_mask("9-10", "f") == V{0x00, 0x06});
    CHECK_THROWS_WITH(cpu_list_mask("3-1", "/linux/resources/cpu/cpus"),
                      Catch::Contains("/linux/resources/cpu/cpus"));
    CHECK_THROWS_AS(cpu_list_mask("", "f"), hull::Error);
    CHECK_THROWS_AS(cpu_list_mask("a", "f"), hull::Error);
    CHECK_THROWS_AS(cpu_list_mask("1,", "f"), hull::Error);
}

TEST_CASE("systemd: resources become the unit properties systemd knows", "[cgroups][systemd]") {
    hull::spec::Resources r;
    CHECK(resource_properties(r).empty());

    r.memory = hull::spec::MemoryResources{};
    r.memory->limit = 64 << 20;
    r.memory->reservation = 32 << 20;
    r.memory->swap = 96 << 20;  // memory+swap: 32 MiB of swap
    r.cpu = hull::spec::CpuResources{};
    r.cpu->shares = 1024;
    r.cpu->quota = 50000;
    r.cpu->period = 100000;
    r.cpu->cpus = "0-1";
    r.cpu->mems = "0";
    r.pids = hull::spec::PidsResources{42};
    r.block_io = hull::spec::BlockIoResources{};
    r.block_io->weight = 500;
    r.unified["memory.high"] = "1000000";  // files only

    std::vector<UnitProperty> want = {
        {"MemoryMax", std::uint64_t{64 << 20}},
        {"MemoryLow", std::uint64_t{32 << 20}},
        {"MemorySwapMax", std::uint64_t{32 << 20}},
        {"CPUWeight", shares_to_weight(1024)},  // 39, as runc
        {"CPUQuotaPeriodUSec", std::uint64_t{100000}},
        {"CPUQuotaPerSecUSec", std::uint64_t{500000}},
        {"AllowedCPUs", std::vector<std::uint8_t>{0x03}},
        {"AllowedMemoryNodes", std::vector<std::uint8_t>{0x01}},
        {"TasksMax", std::uint64_t{42}},
        {"IOWeight", blkio_weight_to_io_weight(500)},  // 4950
    };
    CHECK(resource_properties(r) == want);
    CHECK(std::string(property_signature(want[0].value)) == "t");
    CHECK(std::string(property_signature(want[6].value)) == "ay");
    CHECK(std::string(property_signature(UnitProperty::Value{true})) == "b");
    CHECK(std::string(property_signature(UnitProperty::Value{std::vector<std::uint32_t>{1}})) ==
          "au");
}

TEST_CASE("systemd: unlimited values are infinity, unset ones are left out", "[cgroups][systemd]") {
    hull::spec::Resources r;
    r.memory = hull::spec::MemoryResources{};
    r.memory->limit = -1;
    r.memory->swap = -1;
    r.pids = hull::spec::PidsResources{-1};
    r.cpu = hull::spec::CpuResources{};
    r.cpu->quota = -1;
    std::vector<UnitProperty> want = {
        {"MemoryMax", kUnitInfinity},
        {"MemorySwapMax", kUnitInfinity},
        {"CPUQuotaPerSecUSec", kUnitInfinity},
        {"TasksMax", kUnitInfinity},
    };
    CHECK(resource_properties(r) == want);

    r = {};
    r.pids = hull::spec::PidsResources{0};  // runc: 0 is unset
    r.cpu = hull::spec::CpuResources{};
    r.cpu->shares = 0;
    CHECK(resource_properties(r).empty());

    r = {};  // a quota that is not a whole number of microseconds a second rounds up
    r.cpu = hull::spec::CpuResources{};
    r.cpu->quota = 1;
    r.cpu->period = 3;
    CHECK(resource_properties(r) ==
          std::vector<UnitProperty>{{"CPUQuotaPeriodUSec", std::uint64_t{3}},
                                    {"CPUQuotaPerSecUSec", std::uint64_t{333334}}});
}

TEST_CASE("systemd: bad resource values name their JSON pointer", "[cgroups][systemd]") {
    hull::spec::Resources r;
    r.memory = hull::spec::MemoryResources{};
    r.memory->limit = -5;
    CHECK_THROWS_WITH(resource_properties(r), Catch::Contains("/linux/resources/memory/limit"));
    r.memory->limit = 100;
    r.memory->swap = 50;  // less than the limit
    CHECK_THROWS_AS(resource_properties(r), hull::Error);
    r = {};
    r.cpu = hull::spec::CpuResources{};
    r.cpu->cpus = "x";
    CHECK_THROWS_WITH(resource_properties(r), Catch::Contains("/linux/resources/cpu/cpus"));
    r = {};
    r.cpu = hull::spec::CpuResources{};
    r.cpu->quota = 0;
    CHECK_THROWS_WITH(resource_properties(r), Catch::Contains("/linux/resources/cpu/quota"));
}
