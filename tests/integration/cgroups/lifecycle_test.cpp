#include <catch2/catch.hpp>

#include "base/error.hpp"
#include "helpers.hpp"
#include "runtime/cgroups/layout.hpp"

using namespace hull::cgroups;
using cgtest::exists;
using cgtest::Guarded;

TEST_CASE("cgroups: this host is hybrid", "[cgroups][integration]") {
    CHECK(detect_layout() == Layout::hybrid);
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
        REQUIRE(dirs.size() >= 9);  // 8 controllers + name=systemd + unified here
        for (const auto& d : dirs)
            CHECK(exists(d));
        CHECK(cgtest::dir_of(*m, "memory") ==
              "/sys/fs/cgroup/memory" + cgtest::test_parent() + "/life");
        CHECK(cgtest::dir_of(*m, "unified") ==
              "/sys/fs/cgroup/unified" + cgtest::test_parent() + "/life");
        // cpuset must be usable by a task at once.
        CHECK_FALSE(cgtest::read(cgtest::dir_of(*m, "cpuset") + "/cpuset.cpus").empty());
        CHECK_FALSE(cgtest::read(cgtest::dir_of(*m, "cpuset") + "/cpuset.mems").empty());
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
    bool hull_existed = exists("/sys/fs/cgroup/memory/hull");
    {
        Guarded m(open_manager("", id, false, Guarded::log()));
        m->create();
        CHECK(cgtest::dir_of(*m, "pids") == "/sys/fs/cgroup/pids/hull/" + id);
        CHECK(exists("/sys/fs/cgroup/pids/hull/" + id));
    }
    if (!hull_existed) CHECK_FALSE(exists("/sys/fs/cgroup/memory/hull"));
}

TEST_CASE("cgroups: a relative path is under our own cgroup in each hierarchy",
          "[cgroups][integration]") {
    auto memberships = parse_proc_cgroup(hull::read_file("/proc/self/cgroup"));
    std::string own_memory;
    for (const auto& ms : memberships) {
        for (const auto& c : ms.controllers) {
            if (c == "memory") own_memory = ms.path;
        }
    }
    const std::string rel = "hull-rel-" + std::to_string(::getpid());
    Guarded m(open_manager(rel, "x", false, Guarded::log()));
    m->create();
    std::string base = own_memory == "/" ? "" : own_memory;
    CHECK(cgtest::dir_of(*m, "memory") == "/sys/fs/cgroup/memory" + base + "/" + rel);
    CHECK(exists(cgtest::dir_of(*m, "memory")));
}

TEST_CASE("cgroups: systemd driver is refused clearly", "[cgroups][integration]") {
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
