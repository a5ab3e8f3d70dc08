#include <linux/magic.h>
#include <sys/vfs.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>

#include "base/error.hpp"
#include "helpers.hpp"
#include "runtime/cgroups/layout.hpp"

using namespace hull::cgroups;
using cgtest::exists;
using cgtest::Guarded;

namespace {

long fs_type(const char* path) {
    struct statfs st {};
    return ::statfs(path, &st) == 0 ? static_cast<long>(st.f_type) : 0;
}

}  // namespace

TEST_CASE("cgroups: the detected layout is the one mounted", "[cgroups][integration]") {
    // Independent of the mountinfo parser: what statfs says /sys/fs/cgroup is.
    Layout expected = Layout::v1;
    if (fs_type("/sys/fs/cgroup") == CGROUP2_SUPER_MAGIC) {
        expected = Layout::v2;
    } else if (fs_type("/sys/fs/cgroup/unified") == CGROUP2_SUPER_MAGIC) {
        expected = Layout::hybrid;
    }
    CHECK(detect_layout() == expected);
    // tests/vm passes the layout its guest was booted with; on the host it is hybrid.
    if (const char* want = std::getenv("HULL_TEST_CGROUP_LAYOUT")) {
        CHECK(layout_name(detect_layout()) == want);
    }
}

TEST_CASE("cgroups: create makes the directory in every hierarchy, destroy removes all of it",
          "[cgroups][integration]") {
    std::vector<std::string> dirs, parents;
    {
        Guarded m("life");
        m->create();
        m->create();  // idempotent
        dirs = m.dirs();
        parents = m.parents();
        switch (cgtest::layout()) {
            case Layout::hybrid:  // 8 controllers + name=systemd + unified here
                REQUIRE(dirs.size() >= 9);
                CHECK(cgtest::dir_of(*m, "unified") ==
                      "/sys/fs/cgroup/unified" + cgtest::test_parent() + "/life");
                break;
            case Layout::v1:  // one hierarchy a controller (cpu,cpuacct co-mounted), no cgroup2
                REQUIRE(dirs.size() >= 8);
                for (const auto& h : cgtest::fs(*m).hierarchies())
                    CHECK_FALSE(h.v2);
                break;
            case Layout::v2:  // the one cgroup2 tree
                REQUIRE(dirs.size() == 1);
                CHECK(cgtest::fs(*m).hierarchies().front().v2);
                break;
        }
        for (const auto& d : dirs)
            CHECK(exists(d));
        CHECK(cgtest::dir_of(*m, "memory") ==
              cgtest::mount_of("memory") + cgtest::test_parent() + "/life");
        // cpuset must be usable by a task at once (v1: copied from the parent; v2: inherited,
        // and the controller enabled so that the files exist).
        const std::string cpuset = cgtest::dir_of(*m, "cpuset");
        if (cgtest::on_v2()) {
            CHECK(cgtest::v2_offers(cpuset, "cpuset"));
            CHECK(cgtest::v2_offers(cpuset, "memory"));
            CHECK(cgtest::v2_offers(cpuset, "pids"));
            CHECK_FALSE(cgtest::read(cpuset + "/cpuset.cpus.effective").empty());
            CHECK_FALSE(cgtest::read(cpuset + "/cpuset.mems.effective").empty());
        } else {
            CHECK_FALSE(cgtest::read(cpuset + "/cpuset.cpus").empty());
            CHECK_FALSE(cgtest::read(cpuset + "/cpuset.mems").empty());
        }
        m->destroy();
        for (const auto& d : dirs)
            CHECK_FALSE(exists(d));
        m->destroy();  // twice is fine
    }
    for (const auto& p : parents)
        CHECK_FALSE(exists(p));  // the parent we made is gone too
}

TEST_CASE("cgroups: the default path is /hull/<id> and /hull goes when we made it",
          "[cgroups][integration]") {
    const std::string id = "hull-default-" + std::to_string(::getpid());
    const std::string hull_dir = cgtest::mount_of("memory") + "/hull";
    bool hull_existed = exists(hull_dir);
    {
        Guarded m(open_manager("", id, false, Guarded::log()));
        m->create();
        CHECK(cgtest::dir_of(*m, "pids") == cgtest::mount_of("pids") + "/hull/" + id);
        CHECK(exists(cgtest::mount_of("pids") + "/hull/" + id));
    }
    if (!hull_existed) CHECK_FALSE(exists(hull_dir));
}

TEST_CASE("cgroups: a relative path is under our own cgroup in each hierarchy",
          "[cgroups][integration]") {
    auto memberships = parse_proc_cgroup(hull::read_file("/proc/self/cgroup"));
    std::string own_memory;  // v1: the memory line; v2: the "0::" line
    bool found = false;
    for (const auto& ms : memberships) {
        if (cgtest::on_v2() ? ms.hierarchy_id == 0 && ms.controllers.empty()
                            : std::find(ms.controllers.begin(), ms.controllers.end(), "memory") !=
                                  ms.controllers.end()) {
            own_memory = ms.path;
            found = true;
        }
    }
    REQUIRE(found);
    const std::string rel = "hull-rel-" + std::to_string(::getpid());
    Guarded m(open_manager(rel, "x", false, Guarded::log()));
    m->create();
    std::string base = own_memory == "/" ? "" : own_memory;
    CHECK(cgtest::dir_of(*m, "memory") == cgtest::mount_of("memory") + base + "/" + rel);
    CHECK(exists(cgtest::dir_of(*m, "memory")));
    if (cgtest::on_v2() && own_memory != "/") {
        // Our own cgroup holds processes (this test), so cgroup v2's no-internal-processes
        // rule keeps domain controllers like memory from the new child (the v2-systemd guest
        // runs us in a service without Delegate=): a limit must fail naming the field, not
        // vanish. Threaded controllers (pids, cpu, cpuset) are exempt and do work.
        const std::string d = cgtest::dir_of(*m, "memory");
        CHECK_FALSE(exists(d + "/memory.max"));
        hull::spec::Resources r;
        r.memory = hull::spec::MemoryResources{};
        r.memory->limit = 1 << 24;
        CHECK_THROWS_WITH(m->apply(r), Catch::StartsWith("/linux/resources/memory/limit"));
        r = {};
        r.pids = hull::spec::PidsResources{10};
        m->apply(r);
        CHECK(cgtest::read(d + "/pids.max") == "10");
    }
}

TEST_CASE("cgroups: systemd driver is refused clearly", "[cgroups][integration]") {
    // Where systemd is PID 1 (the v2-systemd guest) hull has the systemd driver:
    // tests/vm/systemd tests it there.
    if (exists("/run/systemd/system")) return;
    CHECK_THROWS_WITH(open_manager("system.slice:hull:x", "x", false, Guarded::log()),
                      Catch::Contains("systemd cgroup driver requested but systemd is not PID 1"));
    CHECK_THROWS_WITH(open_manager("", "x", true, Guarded::log()),
                      Catch::Contains("systemd cgroup driver requested"));
}

TEST_CASE("cgroups: a failed apply leaves nothing after destroy", "[cgroups][integration]") {
    std::vector<std::string> dirs;
    {
        Guarded m("partial");
        dirs = m.dirs();
        m->create();
        hull::spec::Resources r;
        r.pids = hull::spec::PidsResources{20};
        r.cpu = hull::spec::CpuResources{};
        r.cpu->cpus = "99";
        CHECK_THROWS_WITH(m->apply(r), Catch::StartsWith("/linux/resources/cpu/cpus"));
    }
    for (const auto& d : dirs)
        CHECK_FALSE(exists(d));
}

TEST_CASE("cgroups: destroy after a create that never happened or half happened",
          "[cgroups][integration]") {
    Guarded never("never");
    CHECK_NOTHROW(never->destroy());
    Guarded half("half");
    half->create();
    // Simulate a create interrupted part way: one hierarchy lost its directory.
    REQUIRE(::rmdir(cgtest::dir_of(*half, "pids").c_str()) == 0);
    CHECK_NOTHROW(half->destroy());
    for (const auto& d : half.dirs())
        CHECK_FALSE(exists(d));
}

TEST_CASE("cgroups: a manager reopened from its JSON destroys what the first one made",
          "[cgroups][integration]") {
    std::string json;
    std::vector<std::string> dirs, parents;
    {
        auto first =
            open_manager(cgtest::test_parent() + "/persist", "persist", false, Guarded::log());
        first->create();
        json = manager_to_json(*first);
        for (const auto& h : cgtest::fs(*first).hierarchies())
            dirs.push_back(h.dir);
    }
    {
        Guarded second(manager_from_json(json, Guarded::log()));
        parents = second.parents();
        for (const auto& d : dirs)
            CHECK(exists(d));
        second->destroy();
    }
    for (const auto& d : dirs)
        CHECK_FALSE(exists(d));
    for (const auto& p : parents)
        CHECK_FALSE(exists(p));
}

TEST_CASE("cgroups: destroy also removes sub-cgroups the container made",
          "[cgroups][integration]") {
    Guarded m("nested");
    m->create();
    std::string sub = cgtest::dir_of(*m, "memory") + "/inner/deeper";
    REQUIRE(::mkdir((cgtest::dir_of(*m, "memory") + "/inner").c_str(), 0755) == 0);
    REQUIRE(::mkdir(sub.c_str(), 0755) == 0);
    m->destroy();
    CHECK_FALSE(exists(sub));
}
