#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <fstream>

#include "base/error.hpp"
#include "helpers.hpp"

using namespace hull::cgroups;
using cgtest::exists;
using cgtest::Guarded;
using cgtest::Layout;
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
          "[cgroups][integration][v1]") {
    if (cgtest::on_v2()) {
        WARN("v1-only case, not run on this v2 host: 'memory limits on v2' checks v2's files");
        return;
    }
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

TEST_CASE("cgroups: memory limits on v2", "[cgroups][integration][v2]") {
    if (!cgtest::on_v2()) {
        WARN("v2-only case, not run on this " << cgtest::layout_name()
                                              << " host: the case above checks the v1 files");
        return;
    }
    Guarded m("memv2");
    m->create();
    const std::string d = cgtest::dir_of(*m, "memory");
    REQUIRE(exists(d + "/memory.max"));
    const bool swap_files = exists(d + "/memory.swap.max");
    if (!swap_files) WARN("no memory.swap.max (no swap accounting): swap not checked");

    spec::Resources r;
    r.memory = spec::MemoryResources{};
    r.memory->limit = 64 << 20;
    r.memory->swap = 128 << 20;  // memory+swap in the spec, swap alone in memory.swap.max
    r.memory->reservation = 32 << 20;
    r.memory->disable_oom_killer = false;
    m->apply(r);
    CHECK(read(d + "/memory.max") == std::to_string(64 << 20));
    if (swap_files) CHECK(read(d + "/memory.swap.max") == std::to_string(64 << 20));
    CHECK(read(d + "/memory.low") == std::to_string(32 << 20));

    // Lowering both.
    r.memory = spec::MemoryResources{};
    r.memory->limit = 16 << 20;
    r.memory->swap = 32 << 20;
    m->apply(r);
    CHECK(read(d + "/memory.max") == std::to_string(16 << 20));
    if (swap_files) CHECK(read(d + "/memory.swap.max") == std::to_string(16 << 20));

    // memory+swap equal to the limit: no swap at all.
    r.memory->swap = 16 << 20;
    m->apply(r);
    if (swap_files) CHECK(read(d + "/memory.swap.max") == "0");

    // Unlimited swap with a limit, then unlimited memory.
    r.memory->limit = 8 << 20;
    r.memory->swap = -1;
    m->apply(r);
    CHECK(read(d + "/memory.max") == std::to_string(8 << 20));
    if (swap_files) CHECK(read(d + "/memory.swap.max") == "max");
    r.memory = spec::MemoryResources{};
    r.memory->limit = -1;
    m->apply(r);
    CHECK(read(d + "/memory.max") == "max");

    // A swap limit needs a memory limit to be converted, and may not be below it.
    r.memory = spec::MemoryResources{};
    r.memory->limit = 32 << 20;
    r.memory->swap = 16 << 20;
    CHECK_THAT(error_of(*m, r), Catch::StartsWith("/linux/resources/memory/swap"));
    CHECK(read(d + "/memory.max") == "max");  // a refused update changes nothing

    // What cgroup v2 cannot do is refused naming the field, never silently dropped.
    // (crun refuses disableOOMKiller on v2 too; runc drops it silently.) Refused before
    // anything is written: the limit given with it is not applied either.
    spec::Resources oom;
    oom.memory = spec::MemoryResources{};
    oom.memory->limit = 4 << 20;
    oom.memory->disable_oom_killer = true;
    CHECK_THAT(error_of(*m, oom), Catch::StartsWith("/linux/resources/memory/disableOOMKiller"));
    CHECK(read(d + "/memory.max") == "max");
    spec::Resources sw;
    sw.memory = spec::MemoryResources{};
    sw.memory->swappiness = 10;
    CHECK_THAT(error_of(*m, sw), Catch::StartsWith("/linux/resources/memory/swappiness"));
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
    const bool v2 = cgtest::on_v2();
    const std::string cpu = cgtest::dir_of(*m, "cpu");
    const std::string cpuset = cgtest::dir_of(*m, "cpuset");
    // "quota period" of cpu.max on v2, the two cfs files on v1.
    auto quota_period = [&] {
        if (v2) return read(cpu + "/cpu.max");
        return read(cpu + "/cpu.cfs_quota_us") + " " + read(cpu + "/cpu.cfs_period_us");
    };
    auto burst = [&] {
        return read(cgtest::file_of(*m, "cpu", "cpu.cfs_burst_us", "cpu.max.burst"));
    };
    spec::Resources r;
    r.cpu = spec::CpuResources{};
    r.cpu->shares = 512;
    r.cpu->quota = 50000;
    r.cpu->period = 200000;
    r.cpu->burst = 10000;
    r.cpu->cpus = "0";
    r.cpu->mems = "0";
    m->apply(r);
    if (v2) {
        CHECK(read(cpu + "/cpu.weight") == "20");  // shares 512 on the 1..10000 scale
    } else {
        CHECK(read(cpu + "/cpu.shares") == "512");
    }
    CHECK(quota_period() == "50000 200000");
    CHECK(burst() == "10000");
    CHECK(read(cpuset + "/cpuset.cpus") == "0");
    CHECK(read(cpuset + "/cpuset.mems") == "0");
    if (v2) CHECK(read(cpuset + "/cpuset.cpus.effective") == "0");

    // Lowering the quota below the current burst needs the burst first.
    r.cpu = spec::CpuResources{};
    r.cpu->quota = 5000;
    r.cpu->burst = 1000;
    m->apply(r);
    CHECK(quota_period() == "5000 200000");
    CHECK(burst() == "1000");

    r.cpu = spec::CpuResources{};
    r.cpu->quota = -1;
    r.cpu->idle = 1;
    m->apply(r);
    CHECK(quota_period() == (v2 ? "max 200000" : "-1 200000"));
    CHECK(read(cpu + "/cpu.idle") == "1");

    // An update giving one half of the bandwidth keeps the other.
    r.cpu = spec::CpuResources{};
    r.cpu->quota = 20000;
    m->apply(r);
    CHECK(quota_period() == "20000 200000");
    r.cpu = spec::CpuResources{};
    r.cpu->period = 100000;
    m->apply(r);
    CHECK(quota_period() == "20000 100000");

    r.cpu = spec::CpuResources{};
    r.cpu->quota = 1000;
    r.cpu->burst = 2000;
    CHECK_THAT(error_of(*m, r), Catch::StartsWith("/linux/resources/cpu/burst"));
}

TEST_CASE("cgroups: real-time cpu limits where the kernel has them", "[cgroups][integration]") {
    Guarded m("cpurt");
    m->create();
    const std::string cpu = cgtest::dir_of(*m, "cpu");
    spec::Resources r;
    r.cpu = spec::CpuResources{};
    r.cpu->realtime_period = 500000;
    r.cpu->realtime_runtime = 0;
    if (cgtest::on_v2()) {
        CHECK_THAT(error_of(*m, r), Catch::StartsWith("/linux/resources/cpu/realtime") &&
                                        Catch::Contains("no real-time group scheduling"));
    } else if (exists(cpu + "/cpu.rt_period_us")) {
        m->apply(r);
        CHECK(read(cpu + "/cpu.rt_period_us") == "500000");
        CHECK(read(cpu + "/cpu.rt_runtime_us") == "0");
    } else {
        // A kernel without CONFIG_RT_GROUP_SCHED (Debian's, in the v1 guest).
        CHECK_THAT(error_of(*m, r), Catch::StartsWith("/linux/resources/cpu/realtimePeriod") &&
                                        Catch::Contains("does not exist"));
    }
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
    const bool v2 = cgtest::on_v2();
    const std::string d = cgtest::dir_of(*m, "blkio");
    spec::Resources r;
    r.block_io = spec::BlockIoResources{};
    r.block_io->weight = 300;
    // BFQ takes the blkio scale as it is; v2's io.weight (io.cost) the 1..10000 one.
    const std::string bfq = v2 ? "/io.bfq.weight" : "/blkio.bfq.weight";
    const std::string plain = v2 ? "/io.weight" : "/blkio.weight";
    if (exists(d + bfq) || exists(d + plain)) {
        m->apply(r);
        if (exists(d + bfq)) {
            CHECK_THAT(read(d + bfq), Catch::Contains("300"));
        } else {
            CHECK(read(d + plain) == (v2 ? "default 2930" : "300"));
        }
    } else {
        WARN("no " << plain << " or " << bfq << " here: checking the error instead");
        CHECK_THAT(error_of(*m, r), Catch::StartsWith("/linux/resources/blockIO/weight"));
    }
    if (v2) {
        r.block_io = spec::BlockIoResources{};
        r.block_io->leaf_weight = 300;
        CHECK_THAT(error_of(*m, r), Catch::StartsWith("/linux/resources/blockIO/leafWeight"));
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
    if (v2) {
        CHECK(read(d + "/io.max") == dev + " rbps=1048576 wbps=max riops=max wiops=300");
    } else {
        CHECK(read(d + "/blkio.throttle.read_bps_device") == dev + " 1048576");
        CHECK(read(d + "/blkio.throttle.write_iops_device") == dev + " 300");
    }
}

TEST_CASE("cgroups: blockIO throttleReadIOPSDevice, throttleWriteBpsDevice and weightDevice",
          "[cgroups][integration]") {
    // The other two throttle lists go through the same code; "cgroups: blockIO" tests them.
    std::string dev = some_block_device();
    if (dev.empty()) {
        WARN("no block device in /sys/block: not tested");
        return;
    }
    auto colon = dev.find(':');
    const std::int64_t major = std::stoll(dev.substr(0, colon));
    const std::int64_t minor = std::stoll(dev.substr(colon + 1));
    Guarded m("blkio-dev");
    m->create();
    const bool v2 = cgtest::on_v2();
    const std::string d = cgtest::dir_of(*m, "blkio");
    spec::Resources r;
    r.block_io = spec::BlockIoResources{};
    r.block_io->throttle_read_iops_device = {{major, minor, 250}};
    r.block_io->throttle_write_bps_device = {{major, minor, 2097152}};
    m->apply(r);
    if (v2) {
        CHECK(read(d + "/io.max") == dev + " rbps=max wbps=2097152 riops=250 wiops=max");
    } else {
        CHECK(read(d + "/blkio.throttle.read_iops_device") == dev + " 250");
        CHECK(read(d + "/blkio.throttle.write_bps_device") == dev + " 2097152");
        // Neither list spills into the other two files.
        CHECK(read(d + "/blkio.throttle.read_bps_device") == "");
        CHECK(read(d + "/blkio.throttle.write_iops_device") == "");
    }

    // A per-device weight needs a proportional-weight I/O scheduler (BFQ, or CFQ on old
    // kernels). Without one there is no file to write it to: hull must say so, naming the
    // field, and not drop the weight.
    r.block_io = spec::BlockIoResources{};
    spec::BlockIoDeviceWeight w;
    w.major = major;
    w.minor = minor;
    w.weight = 300;
    r.block_io->weight_device = {w};
    const std::string file = v2 ? (exists(d + "/io.bfq.weight") ? "/io.bfq.weight" : "/io.weight")
                                : (exists(d + "/blkio.weight_device") ? "/blkio.weight_device"
                                                                      : "/blkio.bfq.weight_device");
    if (exists(d + file)) {
        std::string error = error_of(*m, r);
        if (error.empty()) {
            CHECK_THAT(read(d + file), Catch::Contains(dev + " "));
        } else {
            // The scheduler of this particular device may not be BFQ: still named.
            CHECK_THAT(error, Catch::StartsWith("/linux/resources/blockIO/weightDevice"));
        }
    } else {
        WARN("no " << file << " here: checking the error instead");
        std::string error = error_of(*m, r);
        CHECK_THAT(error, Catch::StartsWith("/linux/resources/blockIO/weightDevice"));
        CHECK_THAT(error, Catch::Contains("no proportional-weight I/O scheduler"));
    }
    if (!v2) {
        // leafWeight of a device alone goes to the leaf file, or is refused the same way.
        r.block_io->weight_device[0].weight.reset();
        r.block_io->weight_device[0].leaf_weight = 200;
        if (!exists(d + "/blkio.leaf_weight_device") &&
            !exists(d + "/blkio.bfq.leaf_weight_device")) {
            CHECK_THAT(error_of(*m, r),
                       Catch::StartsWith("/linux/resources/blockIO/weightDevice") &&
                           Catch::Contains("leaf_weight_device"));
        }
    }
}

TEST_CASE("cgroups: hugepage limits go where hugetlb is, or fail naming the field",
          "[cgroups][integration]") {
    // hugetlb is a v1 hierarchy on v1, a cgroup2 controller on v2, and on this hybrid host
    // (whose v1 side has no hugetlb) a controller of the unified mount, which create() enables
    // in the unified root: put that back as it was.
    const bool cgroup2_hugetlb =
        cgtest::layout() != Layout::v1 && !exists("/sys/fs/cgroup/hugetlb/cgroup.procs");
    const std::string root = cgroup2_hugetlb
                                 ? (cgtest::on_v2() ? "/sys/fs/cgroup" : "/sys/fs/cgroup/unified")
                                 : "/sys/fs/cgroup/hugetlb";
    const std::string root_subtree = root + "/cgroup.subtree_control";
    bool was_on = cgroup2_hugetlb && read(root_subtree).find("hugetlb") != std::string::npos;
    bool available = cgroup2_hugetlb
                         ? read(root + "/cgroup.controllers").find("hugetlb") != std::string::npos
                         : exists(root + "/cgroup.procs");
    bool pages = exists("/sys/kernel/mm/hugepages/hugepages-2048kB");
    {
        Guarded m("huge");
        m->create();
        spec::Resources r;
        r.hugepage_limits = {{"2MB", 4u << 21}};
        if (available && pages) {
            m->apply(r);
            const std::string d = cgtest::dir_of(*m, cgroup2_hugetlb ? "unified" : "hugetlb");
            CHECK(
                read(d + (cgroup2_hugetlb ? "/hugetlb.2MB.max" : "/hugetlb.2MB.limit_in_bytes")) ==
                std::to_string(4u << 21));
            // The reservation limit too where the kernel has it (5.7+), or a reserved page
            // would escape the limit.
            const std::string rsvd = d + (cgroup2_hugetlb ? "/hugetlb.2MB.rsvd.max"
                                                          : "/hugetlb.2MB.rsvd.limit_in_bytes");
            if (exists(rsvd)) CHECK(read(rsvd) == std::to_string(4u << 21));
            r.hugepage_limits = {{"3MB", 1}};
            CHECK_THAT(error_of(*m, r), Catch::StartsWith("/linux/resources/hugepageLimits/3MB"));
        } else {
            WARN("no hugetlb controller or no 2 MB pages on this " << cgtest::layout_name()
                                                                   << " host: checking the error");
            CHECK_THAT(error_of(*m, r), Catch::StartsWith("/linux/resources/hugepageLimits"));
        }
        r.hugepage_limits = {{"2 MB", 1}};
        CHECK_THAT(error_of(*m, r), Catch::StartsWith("/linux/resources/hugepageLimits"));
    }
    // Leave the host's cgroup2 root as it was.
    if (cgroup2_hugetlb && !was_on && cgtest::layout() == Layout::hybrid &&
        read(root_subtree).find("hugetlb") != std::string::npos) {
        std::ofstream(root_subtree) << "-hugetlb";
    }
}

TEST_CASE("cgroups: network and rdma controllers", "[cgroups][integration]") {
    Guarded m("net");
    m->create();
    spec::Resources r;
    r.network = spec::NetworkResources{};
    r.network->class_id = 0x100001;
    spec::Resources p;
    p.network = spec::NetworkResources{};
    p.network->priorities = {{"lo", 5}};
    bool cls = false, prio = false;
    for (const auto& h : cgtest::fs(*m).hierarchies()) {
        cls = cls || h.has("net_cls");
        prio = prio || h.has("net_prio");
    }
    if (cls) {  // the v1 guest mounts net_cls,net_prio
        m->apply(r);
        CHECK(read(cgtest::dir_of(*m, "net_cls") + "/net_cls.classid") == std::to_string(0x100001));
    } else {  // not mounted on this hybrid host; v2 has no such controller
        CHECK_THAT(error_of(*m, r), Catch::StartsWith("/linux/resources/network/classID"));
    }
    if (prio) {
        m->apply(p);
        CHECK_THAT(read(cgtest::dir_of(*m, "net_prio") + "/net_prio.ifpriomap"),
                   Catch::Contains("lo 5"));
    } else {
        CHECK_THAT(error_of(*m, p), Catch::StartsWith("/linux/resources/network/priorities"));
    }
    // No such RDMA device anywhere here.
    spec::Resources rd;
    rd.rdma["mlx5_0"] = spec::RdmaLimit{3, std::nullopt};
    CHECK_THAT(error_of(*m, rd), Catch::StartsWith("/linux/resources/rdma/mlx5_0"));
}

TEST_CASE("cgroups: unified keys", "[cgroups][integration]") {
    Guarded m("unified");
    m->create();
    spec::Resources r;
    r.unified["../../cgroup.procs"] = "1";
    CHECK_THAT(error_of(*m, r), Catch::StartsWith("/linux/resources/unified/../../cgroup.procs"));
    r.unified.clear();
    r.unified["cgroup.max.depth"] = "3";
    if (cgtest::layout() == Layout::v1) {
        CHECK_THAT(error_of(*m, r),
                   Catch::StartsWith("/linux/resources/unified/cgroup.max.depth") &&
                       Catch::Contains("cgroup v2 is not mounted"));
        return;
    }
    m->apply(r);
    CHECK(read(cgtest::dir_of(*m, "unified") + "/cgroup.max.depth") == "3");
    r.unified.clear();
    r.unified["memory.high"] = "1048576";
    if (cgtest::on_v2()) {
        m->apply(r);
        CHECK(read(cgtest::dir_of(*m, "memory") + "/memory.high") == "1048576");
    } else {  // no memory controller on the hybrid host's cgroup2 mount
        CHECK_THAT(error_of(*m, r), Catch::StartsWith("/linux/resources/unified/memory.high"));
    }
}

namespace {

// Whether a child in the container cgroup can open path: 0 yes, 1 EPERM, 2 other error.
int try_open(Manager& m, const char* path, int flags) {
    cgtest::Child c([=] {
        int fd = ::open(path, flags | O_CLOEXEC);
        if (fd >= 0) return 0;
        return errno == EPERM ? 1 : 2;
    });
    m.add_process(c.pid());
    c.release();
    int status = c.wait();
    REQUIRE(WIFEXITED(status));
    return WEXITSTATUS(status);
}

// Whether a child in the container cgroup can mknod a char device: 0 yes, 1 EPERM, 2 other.
int try_mknod(Manager& m, unsigned major, unsigned minor) {
    char dir[] = "/tmp/hull-cg-mknod-XXXXXX";
    REQUIRE(::mkdtemp(dir) != nullptr);
    const std::string node = std::string(dir) + "/node";
    cgtest::Child c([&] {
        if (::mknod(node.c_str(), S_IFCHR | 0600, ::makedev(major, minor)) == 0) return 0;
        return errno == EPERM ? 1 : 2;
    });
    m.add_process(c.pid());
    c.release();
    int status = c.wait();
    ::unlink(node.c_str());
    ::rmdir(dir);
    REQUIRE(WIFEXITED(status));
    return WEXITSTATUS(status);
}

}  // namespace

TEST_CASE("cgroups: device rules in config order", "[cgroups][integration]") {
    Guarded m("devices");
    m->create();
    const bool v2 = cgtest::on_v2();
    // v1: the devices.list whitelist; v2 has no file to read, so what the eBPF program lets a
    // process open is checked on every layout.
    const std::string list = v2 ? "" : cgtest::dir_of(*m, "devices") + "/devices.list";
    if (!v2) CHECK(read(list) == "a *:* rwm");
    CHECK(try_open(*m, "/dev/full", O_RDONLY) == 0);
    spec::Resources r;
    r.devices = {
        {false, "", std::nullopt, std::nullopt, "rwm"},
        {true, "c", 1, 3, "rwm"},  // /dev/null
        {true, "c", 1, 5, "r"},    // /dev/zero, read only
        {true, "b", 7, std::nullopt, "rw"},
        {true, "c", 1, 9, "rwm"},  // /dev/urandom
        {false, "c", 1, 3, "m"},   // later rules win: 1:3 loses mknod again
    };
    m->apply(r);
    const std::string rules = "c 1:3 rw\nc 1:5 r\nb 7:* rw\nc 1:9 rwm";
    if (!v2) CHECK(read(list) == rules);
    CHECK(try_open(*m, "/dev/null", O_RDWR) == 0);
    CHECK(try_open(*m, "/dev/zero", O_RDONLY) == 0);
    CHECK(try_open(*m, "/dev/zero", O_WRONLY) == 1);
    CHECK(try_open(*m, "/dev/full", O_RDONLY) == 1);  // c 1:7, not listed
    CHECK(try_mknod(*m, 1, 9) == 0);
    CHECK(try_mknod(*m, 1, 3) == 1);
    CHECK(try_mknod(*m, 1, 5) == 1);

    r.devices = {{true, "x", 1, 3, "r"}};
    CHECK_THAT(error_of(*m, r), Catch::StartsWith("/linux/resources/devices"));
    if (!v2) CHECK(read(list) == rules);              // nothing written
    CHECK(try_open(*m, "/dev/full", O_RDONLY) == 1);  // the old rules still hold

    // An update replaces the rules instead of stacking a second set.
    r.devices = {{false, "", std::nullopt, std::nullopt, "rwm"}, {true, "c", 1, 7, "r"}};
    m->apply(r);
    CHECK(try_open(*m, "/dev/null", O_RDWR) == 1);
    CHECK(try_open(*m, "/dev/full", O_RDONLY) == 0);
}
