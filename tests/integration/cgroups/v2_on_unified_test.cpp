// Hybrid only: the v2 driver on the hybrid host's controller-less cgroup2 mount at
// /sys/fs/cgroup/unified, a genuine cgroup2 hierarchy where core files (freeze, kill, procs),
// whatever controllers it offers, and eBPF device programs all work. On a pure v2 host the
// other cases run the v2 driver for real (freeze, kill_all, device rules, the fields v2
// refuses); a pure v1 host has no cgroup2 mount to try it on.
#include <fcntl.h>
#include <sys/mman.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cerrno>
#include <fstream>
#include <sstream>

#include "base/error.hpp"
#include "helpers.hpp"

using namespace hull::cgroups;
using cgtest::Child;
using cgtest::exists;
using cgtest::Guarded;
using cgtest::read;
namespace spec = hull::spec;

namespace {

const std::string kUnified = "/sys/fs/cgroup/unified";

// False, with a warning that says so, where this case has nothing to check.
bool hybrid_host() {
    if (cgtest::layout() == hull::cgroups::Layout::hybrid) return true;
    WARN("hybrid-only case, not run on this "
         << cgtest::layout_name() << " host: "
         << (cgtest::on_v2() ? "the other cases run the v2 driver for real here"
                             : "a pure v1 host has no cgroup2 mount for the v2 driver"));
    return false;
}

std::unique_ptr<Manager> v2_manager(const std::string& name) {
    std::string path = cgtest::test_parent() + "-v2/" + name;
    Hierarchy h{kUnified, true, {}, kUnified + path, {}};
    return make_manager(Layout::v2, path, {h}, Guarded::log());
}

// Restores the unified root's subtree_control, which create() extends.
struct RootSubtree {
    RootSubtree() : before(read(kUnified + "/cgroup.subtree_control")) {}
    ~RootSubtree() {
        std::string now = read(kUnified + "/cgroup.subtree_control");
        std::istringstream in(now);
        std::string c;
        while (in >> c) {
            if (before.find(c) == std::string::npos)
                std::ofstream(kUnified + "/cgroup.subtree_control") << "-" + c;
        }
    }
    std::string before;
};

std::string error_of(Manager& m, const spec::Resources& r) {
    try {
        m.apply(r);
    } catch (const hull::Error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("cgroups v2 driver: create, join, freeze, kill, destroy on a cgroup2 mount",
          "[cgroups][integration][hybrid]") {
    if (!hybrid_host()) return;
    RootSubtree restore;
    Guarded m(v2_manager("core"));
    m->create();
    const std::string dir = m.dirs().front();
    REQUIRE(exists(dir));
    CHECK(m->cgroup_fd_for_clone() >= 0);

    auto* counter = static_cast<std::atomic<long>*>(
        ::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
    REQUIRE(counter != MAP_FAILED);
    Child c([&] {
        for (;;)
            counter->fetch_add(1);
        return 0;
    });
    m->add_process(c.pid());
    c.release();
    CHECK(m->pids() == std::vector<pid_t>{c.pid()});
    REQUIRE(wait_until([&] { return counter->load() > 0; }, 60000));
    m->freeze();
    CHECK(m->frozen());
    long a = counter->load();
    ::usleep(50000);
    CHECK(counter->load() == a);
    m->thaw();
    CHECK_FALSE(m->frozen());
    CHECK(wait_until([&] { return counter->load() > a; }, 60000));

    m->kill_all(SIGKILL);  // cgroup.kill
    int status = c.wait();
    CHECK((WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL));
    ::munmap(counter, 4096);
}

TEST_CASE("cgroups v2 driver: missing controllers name the field",
          "[cgroups][integration][hybrid]") {
    if (!hybrid_host()) return;
    RootSubtree restore;
    Guarded m(v2_manager("fields"));
    m->create();
    auto avail = read(kUnified + "/cgroup.controllers");
    spec::Resources r;
    if (avail.find("memory") == std::string::npos) {
        r.memory = spec::MemoryResources{};
        r.memory->limit = 1 << 20;
        CHECK_THAT(error_of(*m, r), Catch::StartsWith("/linux/resources/memory/limit"));
    }
    if (avail.find("pids") == std::string::npos) {
        r = {};
        r.pids = spec::PidsResources{3};
        CHECK_THAT(error_of(*m, r), Catch::StartsWith("/linux/resources/pids/limit"));
    }
    r = {};
    r.network = spec::NetworkResources{};
    r.network->class_id = 1;
    CHECK_THAT(error_of(*m, r), Catch::StartsWith("/linux/resources/network/classID"));
    r = {};
    r.memory = spec::MemoryResources{};
    r.memory->swappiness = 10;
    CHECK_THAT(error_of(*m, r), Catch::StartsWith("/linux/resources/memory/swappiness"));
    r = {};
    r.cpu = spec::CpuResources{};
    r.cpu->realtime_runtime = 1000;
    CHECK_THAT(error_of(*m, r), Catch::StartsWith("/linux/resources/cpu/realtimeRuntime"));
    r = {};
    r.unified["cgroup.max.descendants"] = "7";
    m->apply(r);
    CHECK(read(m.dirs().front() + "/cgroup.max.descendants") == "7");
    if (avail.find("hugetlb") != std::string::npos &&
        exists("/sys/kernel/mm/hugepages/hugepages-2048kB")) {
        r = {};
        r.hugepage_limits = {{"2MB", 2u << 21}};
        m->apply(r);
        CHECK(read(m.dirs().front() + "/hugetlb.2MB.max") == std::to_string(2u << 21));
    }
}

TEST_CASE("cgroups v2 driver: the eBPF device program decides device access",
          "[cgroups][integration][hybrid]") {
    if (!hybrid_host()) return;
    RootSubtree restore;
    Guarded m(v2_manager("devices"));
    m->create();
    auto try_open = [&](const char* path, int flags) {
        Child c([=] {
            int fd = ::open(path, flags | O_CLOEXEC);
            if (fd >= 0) return 0;
            return errno == EPERM ? 1 : 2;
        });
        m->add_process(c.pid());
        c.release();
        int status = c.wait();
        REQUIRE(WIFEXITED(status));
        return WEXITSTATUS(status);
    };
    spec::Resources r;
    r.devices = {
        {false, "", std::nullopt, std::nullopt, "rwm"},
        {true, "c", 1, 3, "rw"},  // /dev/null
        {true, "c", 1, 5, "r"},   // /dev/zero, read only
    };
    m->apply(r);
    CHECK(try_open("/dev/null", O_RDWR) == 0);
    CHECK(try_open("/dev/zero", O_RDONLY) == 0);
    CHECK(try_open("/dev/zero", O_WRONLY) == 1);
    CHECK(try_open("/dev/full", O_RDONLY) == 1);

    // An update replaces the program instead of stacking a second one.
    r.devices = {{false, "", std::nullopt, std::nullopt, "rwm"}, {true, "c", 1, 7, "r"}};
    m->apply(r);
    CHECK(try_open("/dev/null", O_RDWR) == 1);
    CHECK(try_open("/dev/full", O_RDONLY) == 0);
}
