#include <dirent.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "base/error.hpp"
#include "helpers.hpp"

using namespace hull::cgroups;
using cgtest::exists;
using cgtest::Guarded;
using cgtest::read;
namespace spec = hull::spec;

namespace {

std::string error_of(Manager& m, const spec::Resources& r) {
    try {
        m.apply(r);
    } catch (const hull::Error& e) {
        return e.what();
    }
    return "";
}

// maj:min of some block device on this host, or "" when there is none.
std::string some_block_device() {
    DIR* d = ::opendir("/sys/block");
    if (!d) return "";
    std::string out;
    while (dirent* e = ::readdir(d)) {
        std::string name = e->d_name;
        if (name[0] == '.' || name.rfind("loop", 0) == 0 || name.rfind("ram", 0) == 0) continue;
        std::ifstream in("/sys/block/" + name + "/dev");
        if (std::getline(in, out) && !out.empty()) break;
    }
    ::closedir(d);
    return out;
}

}  // namespace

TEST_CASE("cgroups: memory limits, both write orders of limit and memsw",
          "[cgroups][integration]") {
    Guarded m("mem");
    m->create();
    const std::string d = cgtest::dir_of(*m, "memory");
    REQUIRE(exists(d + "/memory.memsw.limit_in_bytes"));  // swap accounting is on here

    spec::Resources r;
    r.memory = spec::MemoryResources{};
    r.memory->limit = 64 << 20;
    r.memory->swap = 128 << 20;
    r.memory->reservation = 32 << 20;
    r.memory->swappiness = 10;
    r.memory->disable_oom_killer = false;
    r.memory->kernel = -1;
    r.memory->kernel_tcp = -1;
    m->apply(r);
    CHECK(read(d + "/memory.limit_in_bytes") == std::to_string(64 << 20));
    CHECK(read(d + "/memory.memsw.limit_in_bytes") == std::to_string(128 << 20));
    CHECK(read(d + "/memory.soft_limit_in_bytes") == std::to_string(32 << 20));
    CHECK(read(d + "/memory.swappiness") == "10");

    // Lowering below the old limit: the limit has to go first.
    r.memory = spec::MemoryResources{};
    r.memory->limit = 16 << 20;
    r.memory->swap = 32 << 20;
    m->apply(r);
    CHECK(read(d + "/memory.limit_in_bytes") == std::to_string(16 << 20));
    CHECK(read(d + "/memory.memsw.limit_in_bytes") == std::to_string(32 << 20));

    // Raising above the old memsw: memsw has to go first.
    r.memory->limit = 256 << 20;
    r.memory->swap = 512 << 20;
    m->apply(r);
    CHECK(read(d + "/memory.limit_in_bytes") == std::to_string(256 << 20));
    CHECK(read(d + "/memory.memsw.limit_in_bytes") == std::to_string(512 << 20));

    // Unlimited swap with a limit.
    r.memory->limit = 8 << 20;
    r.memory->swap = -1;
    m->apply(r);
    CHECK(read(d + "/memory.limit_in_bytes") == std::to_string(8 << 20));
    CHECK(std::stoull(read(d + "/memory.memsw.limit_in_bytes")) > (1ull << 60));

    // Raising the limit alone over the memsw limit is refused with a hint.
    r.memory = spec::MemoryResources{};
    r.memory->limit = 16 << 20;
    r.memory->swap = 16 << 20;
    m->apply(r);
    r.memory->swap.reset();
    r.memory->limit = 64 << 20;
    CHECK_THAT(error_of(*m, r), Catch::StartsWith("/linux/resources/memory/limit") &&
                                    Catch::Contains("set swap as well"));

    spec::Resources oom;
    oom.memory = spec::MemoryResources{};
    oom.memory->disable_oom_killer = true;
    m->apply(oom);
    CHECK_THAT(read(d + "/memory.oom_control"), Catch::Contains("oom_kill_disable 1"));
}

TEST_CASE("cgroups: memory errors name the field", "[cgroups][integration]") {
    Guarded m("memerr");
    m->create();
    spec::Resources r;
    r.memory = spec::MemoryResources{};
    r.memory->use_hierarchy = false;  // newer kernels refuse to turn hierarchy off
    CHECK_THAT(error_of(*m, r), Catch::StartsWith("/linux/resources/memory/useHierarchy"));
    r.memory = spec::MemoryResources{};
    r.memory->swappiness = 101;
    CHECK_THAT(error_of(*m, r), Catch::StartsWith("/linux/resources/memory/swappiness"));
    r.memory = spec::MemoryResources{};
    r.memory->limit = -7;
    CHECK_THAT(error_of(*m, r), Catch::StartsWith("/linux/resources/memory/limit"));
}

TEST_CASE("cgroups: cpu and cpuset", "[cgroups][integration]") {
    Guarded m("cpu");
    m->create();
    const std::string cpu = cgtest::dir_of(*m, "cpu");
    const std::string cpuset = cgtest::dir_of(*m, "cpuset");
    spec::Resources r;
    r.cpu = spec::CpuResources{};
    r.cpu->shares = 512;
    r.cpu->quota = 50000;
    r.cpu->period = 200000;
    r.cpu->burst = 10000;
    r.cpu->realtime_period = 500000;
    r.cpu->realtime_runtime = 0;
    r.cpu->cpus = "0";
    r.cpu->mems = "0";
    m->apply(r);
    CHECK(read(cpu + "/cpu.shares") == "512");
    CHECK(read(cpu + "/cpu.cfs_quota_us") == "50000");
    CHECK(read(cpu + "/cpu.cfs_period_us") == "200000");
    CHECK(read(cpu + "/cpu.cfs_burst_us") == "10000");
    CHECK(read(cpu + "/cpu.rt_period_us") == "500000");
    CHECK(read(cpuset + "/cpuset.cpus") == "0");
    CHECK(read(cpuset + "/cpuset.mems") == "0");

    // Lowering the quota below the current burst needs the burst first.
    r.cpu = spec::CpuResources{};
    r.cpu->quota = 5000;
    r.cpu->burst = 1000;
    m->apply(r);
    CHECK(read(cpu + "/cpu.cfs_quota_us") == "5000");
    CHECK(read(cpu + "/cpu.cfs_burst_us") == "1000");

    r.cpu = spec::CpuResources{};
    r.cpu->quota = -1;
    r.cpu->idle = 1;
    m->apply(r);
    CHECK(read(cpu + "/cpu.cfs_quota_us") == "-1");
    CHECK(read(cpu + "/cpu.idle") == "1");

    r.cpu = spec::CpuResources{};
    r.cpu->quota = 1000;
    r.cpu->burst = 2000;
    CHECK_THAT(error_of(*m, r), Catch::StartsWith("/linux/resources/cpu/burst"));
}

TEST_CASE("cgroups: pids.max", "[cgroups][integration]") {
    Guarded m("pids");
    m->create();
    const std::string d = cgtest::dir_of(*m, "pids");
    spec::Resources r;
    r.pids = spec::PidsResources{0};
    m->apply(r);
    CHECK(read(d + "/pids.max") == "0");
    r.pids = spec::PidsResources{12};
    m->apply(r);
    CHECK(read(d + "/pids.max") == "12");
    r.pids = spec::PidsResources{-1};
    m->apply(r);
    CHECK(read(d + "/pids.max") == "max");
}

TEST_CASE("cgroups: blockIO", "[cgroups][integration]") {
    Guarded m("blkio");
    m->create();
    const std::string d = cgtest::dir_of(*m, "blkio");
    spec::Resources r;
    r.block_io = spec::BlockIoResources{};
    r.block_io->weight = 300;
    if (exists(d + "/blkio.weight") || exists(d + "/blkio.bfq.weight")) {
        m->apply(r);
        std::string f = exists(d + "/blkio.weight") ? "/blkio.weight" : "/blkio.bfq.weight";
        CHECK_THAT(read(d + f), Catch::Contains("300"));
    } else {
        WARN("no blkio.weight/blkio.bfq.weight on this host: checking the error instead");
        CHECK_THAT(error_of(*m, r), Catch::StartsWith("/linux/resources/blockIO/weight"));
    }
    std::string dev = some_block_device();
    if (dev.empty()) {
        WARN("no block device in /sys/block: throttle not tested");
        return;
    }
    auto colon = dev.find(':');
    r.block_io = spec::BlockIoResources{};
    r.block_io->throttle_read_bps_device = {
        {std::stoll(dev.substr(0, colon)), std::stoll(dev.substr(colon + 1)), 1048576}};
    r.block_io->throttle_write_iops_device = {
        {std::stoll(dev.substr(0, colon)), std::stoll(dev.substr(colon + 1)), 300}};
    m->apply(r);
    CHECK(read(d + "/blkio.throttle.read_bps_device") == dev + " 1048576");
    CHECK(read(d + "/blkio.throttle.write_iops_device") == dev + " 300");
}

TEST_CASE("cgroups: hugepage limits go where hugetlb is, or fail naming the field",
          "[cgroups][integration]") {
    const std::string root_subtree = "/sys/fs/cgroup/unified/cgroup.subtree_control";
    bool was_on = read(root_subtree).find("hugetlb") != std::string::npos;
    bool available =
        read("/sys/fs/cgroup/unified/cgroup.controllers").find("hugetlb") != std::string::npos;
    {
        Guarded m("huge");
        m->create();
        spec::Resources r;
        r.hugepage_limits = {{"2MB", 4u << 21}};
        if (available && exists("/sys/kernel/mm/hugepages/hugepages-2048kB")) {
            m->apply(r);
            CHECK(read(cgtest::dir_of(*m, "unified") + "/hugetlb.2MB.max") ==
                  std::to_string(4u << 21));
            r.hugepage_limits = {{"3MB", 1}};
            CHECK_THAT(error_of(*m, r), Catch::StartsWith("/linux/resources/hugepageLimits/3MB"));
        } else {
            CHECK_THAT(error_of(*m, r), Catch::StartsWith("/linux/resources/hugepageLimits"));
        }
        r.hugepage_limits = {{"2 MB", 1}};
        CHECK_THAT(error_of(*m, r), Catch::StartsWith("/linux/resources/hugepageLimits"));
    }
    // Leave the host's unified root as it was.
    if (!was_on && read(root_subtree).find("hugetlb") != std::string::npos) {
        std::ofstream(root_subtree) << "-hugetlb";
    }
}

TEST_CASE("cgroups: network and rdma controllers that are not mounted", "[cgroups][integration]") {
    Guarded m("net");
    m->create();
    spec::Resources r;
    r.network = spec::NetworkResources{};
    r.network->class_id = 0x100001;
    CHECK_THAT(error_of(*m, r), Catch::StartsWith("/linux/resources/network/classID"));
    r.network = spec::NetworkResources{};
    r.network->priorities = {{"lo", 5}};
    CHECK_THAT(error_of(*m, r), Catch::StartsWith("/linux/resources/network/priorities"));
    spec::Resources rd;
    rd.rdma["mlx5_0"] = spec::RdmaLimit{3, std::nullopt};
    CHECK_THAT(error_of(*m, rd), Catch::StartsWith("/linux/resources/rdma/mlx5_0"));
}

TEST_CASE("cgroups: unified keys on hybrid", "[cgroups][integration]") {
    Guarded m("unified");
    m->create();
    spec::Resources r;
    r.unified["memory.high"] = "1000000";  // no memory controller on this cgroup2 mount
    CHECK_THAT(error_of(*m, r), Catch::StartsWith("/linux/resources/unified/memory.high"));
    r.unified.clear();
    r.unified["../../cgroup.procs"] = "1";
    CHECK_THAT(error_of(*m, r), Catch::StartsWith("/linux/resources/unified/../../cgroup.procs"));
    r.unified.clear();
    r.unified["cgroup.max.depth"] = "3";
    m->apply(r);
    CHECK(read(cgtest::dir_of(*m, "unified") + "/cgroup.max.depth") == "3");
}

TEST_CASE("cgroups: device rules in config order", "[cgroups][integration]") {
    Guarded m("devices");
    m->create();
    const std::string d = cgtest::dir_of(*m, "devices");
    CHECK(read(d + "/devices.list") == "a *:* rwm");
    spec::Resources r;
    r.devices = {
        {false, "", std::nullopt, std::nullopt, "rwm"},
        {true, "c", 1, 3, "rwm"},
        {true, "c", 1, 5, "r"},
        {true, "b", 7, std::nullopt, "rw"},
        {false, "c", 1, 3, "m"},
    };
    m->apply(r);
    CHECK(read(d + "/devices.list") == "c 1:3 rw\nc 1:5 r\nb 7:* rw");
    r.devices = {{true, "x", 1, 3, "r"}};
    CHECK_THAT(error_of(*m, r), Catch::StartsWith("/linux/resources/devices"));
    CHECK(read(d + "/devices.list") == "c 1:3 rw\nc 1:5 r\nb 7:* rw");  // nothing written
}
