#include <sys/mman.h>
#include <sys/wait.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cerrno>
#include <cstring>
#include <vector>

#include "base/file.hpp"
#include "helpers.hpp"
#include "runtime/cgroups/fs_manager.hpp"

using namespace hull::cgroups;
using cgtest::Child;
using cgtest::Guarded;
using cgtest::read;
namespace spec = hull::spec;

namespace {

// A counter in memory shared with forked children.
struct Shared {
    Shared() {
        void* p = ::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        REQUIRE(p != MAP_FAILED);
        v = static_cast<std::atomic<long>*>(p);
        new (v) std::atomic<long>(0);
        new (v + 1) std::atomic<long>(0);
    }
    ~Shared() { ::munmap(v, 4096); }
    std::atomic<long>* v;
};

}  // namespace

TEST_CASE("cgroups: freeze stops a process, thaw resumes it", "[cgroups][integration]") {
    Guarded m("freeze");
    m->create();
    Shared counter;
    Child child([&] {
        for (;;)
            counter.v->fetch_add(1);
        return 0;
    });
    m->add_process(child.pid());
    child.release();
    CHECK(m->pids() == std::vector<pid_t>{child.pid()});
    REQUIRE(wait_until([&] { return counter.v->load() > 0; }, 60000));

    CHECK_FALSE(m->frozen());
    m->freeze();
    CHECK(m->frozen());
    if (cgtest::on_v2()) {
        CHECK_THAT(read(cgtest::dir_of(*m, "unified") + "/cgroup.events"),
                   Catch::Contains("frozen 1"));
        CHECK(read(cgtest::dir_of(*m, "unified") + "/cgroup.freeze") == "1");
    } else {
        CHECK(read(cgtest::dir_of(*m, "freezer") + "/freezer.state") == "FROZEN");
    }
    long a = counter.v->load();
    ::usleep(50000);
    CHECK(counter.v->load() == a);  // frozen: not a single increment

    m->thaw();
    CHECK_FALSE(m->frozen());
    CHECK(wait_until([&] { return counter.v->load() > a; }, 60000));
}

TEST_CASE("cgroups: pids.max makes fork fail with EAGAIN", "[cgroups][integration]") {
    Guarded m("forkbomb");
    m->create();
    spec::Resources r;
    r.pids = spec::PidsResources{5};
    m->apply(r);
    Shared result;  // [0]: successful forks, [1]: errno of the failing fork
    Child child([&] {
        for (int i = 0; i < 50; ++i) {
            pid_t p = ::fork();
            if (p == 0) {
                ::pause();
                ::_exit(0);
            }
            if (p < 0) {
                result.v[1] = errno;
                return 0;
            }
            result.v[0]++;
        }
        return 1;
    });
    m->add_process(child.pid());
    child.release();
    int status = child.wait();
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    CHECK(result.v[1] == EAGAIN);
    CHECK(result.v[0] == 4);  // the child itself is the fifth
    CHECK(m->stats().pids.limit == 5);
    CHECK(m->pids().size() == 4);  // the paused grandchildren; destroy kills them
}

TEST_CASE("cgroups: allocating past memory.limit gets the OOM killer", "[cgroups][integration]") {
    Guarded m("oom");
    m->create();
    spec::Resources r;
    r.memory = spec::MemoryResources{};
    // No swap limit: with memsw set as well this kernel counts the failures nowhere.
    r.memory->limit = 32 << 20;
    m->apply(r);
    Child child([] {
        const size_t size = 256 << 20;
        volatile char* p = static_cast<volatile char*>(::malloc(size));
        if (!p) return 3;
        for (size_t i = 0; i < size; i += 4096)
            p[i] = 1;
        return 0;
    });
    m->add_process(child.pid());
    child.release();
    int status = child.wait();
    CHECK(WIFSIGNALED(status));
    if (WIFSIGNALED(status)) CHECK(WTERMSIG(status) == SIGKILL);
    const std::string d = cgtest::dir_of(*m, "memory");
    Stats s = m->stats();
    if (cgtest::on_v2()) {
        auto events = parse_flat_keyed(hull::read_file(d + "/memory.events"));
        CHECK(events["oom_kill"] >= 1);
        CHECK(events["max"] > 0);
        CHECK(s.memory.oom_kills == events["oom_kill"]);
        CHECK(s.memory.usage.failcnt == events["max"]);
        // The only process is gone.
        CHECK_THAT(read(d + "/cgroup.events"), Catch::Contains("populated 0"));
        CHECK(s.memory.usage.max_usage <= 32u << 20);  // memory.peak
        CHECK(s.memory.usage.max_usage > 24u << 20);
    } else {
        // With memsw == limit the memory+swap counter is the one that trips.
        CHECK(std::stoull(read(d + "/memory.failcnt")) +
                  std::stoull(read(d + "/memory.memsw.failcnt")) >
              0);
        CHECK_THAT(read(d + "/memory.oom_control"), !Catch::Contains("oom_kill 0"));
        CHECK(s.memory.usage.failcnt > 0);
        CHECK(s.memory.usage.max_usage == 32u << 20);
    }
    CHECK(s.memory.oom_kills >= 1);
    CHECK(s.memory.usage.limit == 32u << 20);
}

TEST_CASE("cgroups: kill_all signals every process, destroy reaps stragglers",
          "[cgroups][integration]") {
    Guarded m("kill");
    m->create();
    Child a([] {
        ::pause();
        return 0;
    });
    Child b([] {
        ::pause();
        return 0;
    });
    m->add_process(a.pid());
    m->add_process(b.pid());
    a.release();
    b.release();
    CHECK(m->pids().size() == 2);
    m->kill_all(SIGTERM);
    int sa = a.wait(), sb = b.wait();
    CHECK((WIFSIGNALED(sa) && WTERMSIG(sa) == SIGTERM));
    CHECK((WIFSIGNALED(sb) && WTERMSIG(sb) == SIGTERM));
    CHECK(m->pids().empty());
    CHECK_FALSE(m->frozen());  // kill_all thaws what it froze
}

TEST_CASE("cgroups: destroy kills a frozen straggler and removes everything",
          "[cgroups][integration]") {
    std::vector<std::string> dirs;
    Child c([] {
        for (;;)
            ::pause();
        return 0;
    });
    {
        Guarded m("straggler");
        m->create();
        dirs = m.dirs();
        m->add_process(c.pid());
        c.release();
        m->freeze();
        m->destroy();
    }
    int status = c.wait();
    CHECK((WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL));
    for (const auto& d : dirs)
        CHECK_FALSE(cgtest::exists(d));
}

TEST_CASE("cgroups: stats read cpu and memory of a running process", "[cgroups][integration]") {
    Guarded m("stats");
    m->create();
    Shared done;
    Child c([&] {
        std::vector<char> mem(8 << 20, 1);
        volatile long x = 0;
        for (long i = 0; i < 20000000; ++i)
            x = x + i;
        done.v[0] = mem[4096] + 1;
        for (;;)
            ::pause();
        return 0;
    });
    m->add_process(c.pid());
    c.release();
    REQUIRE(wait_until([&] { return done.v[0].load() == 2; }, 60000));
    // The child now sleeps: its counters only move a little between two reads of the files
    // `hull events --stats` takes them from (cpu.stat/memory.stat on v2, cpuacct.usage and
    // memory.stat on v1).
    const bool v2 = cgtest::on_v2();
    const std::string cpu = cgtest::dir_of(*m, v2 ? "cpu" : "cpuacct");
    const std::string mem = cgtest::dir_of(*m, "memory");
    auto cpu_ns = [&]() -> std::uint64_t {
        if (v2) return parse_flat_keyed(hull::read_file(cpu + "/cpu.stat"))["usage_usec"] * 1000;
        return std::stoull(read(cpu + "/cpuacct.usage"));
    };
    std::uint64_t before = cpu_ns();
    Stats s = m->stats();
    std::uint64_t after = cpu_ns();
    CHECK(s.cpu.usage_total > 0);
    CHECK(s.cpu.usage_total >= before);
    CHECK(s.cpu.usage_total <= after);
    if (v2) {
        CHECK(s.cpu.usage_percpu.empty());  // cgroup v2 has no per-CPU usage
        CHECK(s.cpu.usage_user + s.cpu.usage_kernel > 0);
    } else {
        CHECK(s.cpu.usage_percpu.size() >= 1);
    }
    // The 8 MB the child touched, as anonymous memory in memory.stat.
    const std::string anon = v2 ? "anon" : "rss";
    auto file_stat = parse_flat_keyed(hull::read_file(mem + "/memory.stat"));
    REQUIRE(s.memory.raw.count(anon) == 1);
    CHECK(s.memory.raw[anon] >= 8u << 20);
    CHECK(file_stat[anon] >= 8u << 20);
    CHECK(s.memory.usage.usage >= 8u << 20);
    if (v2) CHECK(s.memory.cache == s.memory.raw["file"]);
    CHECK(s.pids.current == 1);
    // `hull events` reopens the manager from the container's state: the same numbers.
    auto reopened = manager_from_json(manager_to_json(*m), Guarded::log());
    Stats again = reopened->stats();
    CHECK(again.cpu.usage_total >= s.cpu.usage_total);
    CHECK(again.cpu.usage_total <= cpu_ns());
    CHECK(again.memory.usage.limit == s.memory.usage.limit);
    CHECK(again.pids.current == 1);
    const std::string json = stats_to_json(s);
    CHECK_THAT(json, Catch::Contains("\"memory\":{"));
    CHECK_THAT(json, Catch::Contains("\"" + anon + "\":" + std::to_string(s.memory.raw[anon])));
}
