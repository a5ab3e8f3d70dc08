// Each attribute is applied in a forked child and read back there from the kernel.
#include <linux/mempolicy.h>
#include <sched.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>

#include "base/error.hpp"
#include "base/file.hpp"
#include "base/procfs.hpp"
#include "child.hpp"
#include "runtime/security/process_attrs.hpp"

namespace sec = hull::security;
using hull::security::test::run_in_child;
using hull::security::test::status_field;

namespace {

struct SchedAttr {
    std::uint32_t size;
    std::uint32_t sched_policy;
    std::uint64_t sched_flags;
    std::int32_t sched_nice;
    std::uint32_t sched_priority;
    std::uint64_t sched_runtime;
    std::uint64_t sched_deadline;
    std::uint64_t sched_period;
    std::uint32_t sched_util_min;
    std::uint32_t sched_util_max;
};

std::string sched_now() {
    SchedAttr attr{};
    if (syscall(SYS_sched_getattr, 0, &attr, sizeof attr, 0) < 0) {
        hull::throw_errno("sched_getattr");
    }
    return std::to_string(attr.sched_policy) + " " + std::to_string(attr.sched_nice) + " " +
           std::to_string(attr.sched_priority) + " " + std::to_string(attr.sched_flags);
}

// CPUs this test process may run on (a cpuset can restrict them).
std::vector<int> allowed_cpus() {
    cpu_set_t set;
    CPU_ZERO(&set);
    REQUIRE(sched_getaffinity(0, sizeof set, &set) == 0);
    std::vector<int> cpus;
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
        if (CPU_ISSET(cpu, &set)) cpus.push_back(cpu);
    }
    return cpus;
}

std::string affinity_now() {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) < 0) hull::throw_errno("sched_getaffinity");
    std::string out;
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
        if (CPU_ISSET(cpu, &set)) out += (out.empty() ? "" : ",") + std::to_string(cpu);
    }
    return out;
}

}  // namespace

TEST_CASE("apply_rlimits sets soft and hard limits", "[security][rlimits]") {
    struct rlimit cur {};
    REQUIRE(getrlimit(RLIMIT_NOFILE, &cur) == 0);
    // Below the current hard limit: this host's bounding set has no CAP_SYS_RESOURCE.
    REQUIRE(cur.rlim_max > 200);
    auto r = run_in_child([] {
        sec::apply_rlimits({{"RLIMIT_NOFILE", 100, 200}, {"RLIMIT_CORE", 0, 0}});
        struct rlimit nofile {
        }, core{};
        getrlimit(RLIMIT_NOFILE, &nofile);
        getrlimit(RLIMIT_CORE, &core);
        return std::to_string(nofile.rlim_cur) + "/" + std::to_string(nofile.rlim_max) + " " +
               std::to_string(core.rlim_cur) + "/" + std::to_string(core.rlim_max);
    });
    REQUIRE(r.ok());
    CHECK(r.output == "100/200 0/0");
}

TEST_CASE("apply_rlimits names the rlimit the kernel refused", "[security][rlimits]") {
    // fs.nr_open caps RLIMIT_NOFILE even with CAP_SYS_RESOURCE.
    std::uint64_t nr_open = std::stoull(hull::read_file("/proc/sys/fs/nr_open"));
    auto r = run_in_child([nr_open] {
        sec::apply_rlimits({{"RLIMIT_NOFILE", 10, nr_open + 1}});
        return std::string("applied");
    });
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.output, Catch::StartsWith("set rlimit RLIMIT_NOFILE to soft 10 hard "));
}

TEST_CASE("oom_score_adj is written through the verified /proc", "[security][oom]") {
    // What launch_user_process does for process.oomScoreAdj.
    auto write = [](int score) {
        hull::write_procfs(hull::open_procfs().get(), "self/oom_score_adj", std::to_string(score));
    };
    for (int score : {500, 123, 1000}) {
        auto r = run_in_child([&write, score] {
            write(score);
            return hull::read_file("/proc/self/oom_score_adj");
        });
        REQUIRE(r.ok());
        CHECK(r.output == std::to_string(score) + "\n");
    }
    auto bad = run_in_child([&write] {
        write(5000);
        return std::string("applied");
    });
    CHECK(bad.exit_code == 1);
    CHECK_THAT(bad.output, Catch::Contains("/proc/self/oom_score_adj"));
}

TEST_CASE("apply_scheduler sets policy, nice and priority", "[security][scheduler]") {
    auto batch = run_in_child([] {
        hull::spec::Scheduler s;
        s.policy = "SCHED_BATCH";
        s.nice = 7;
        sec::apply_scheduler(s);
        return sched_now();
    });
    REQUIRE(batch.ok());
    CHECK(batch.output == "3 7 0 0");

    auto idle = run_in_child([] {
        hull::spec::Scheduler s;
        s.policy = "SCHED_IDLE";
        s.flags = {"SCHED_FLAG_RESET_ON_FORK"};
        sec::apply_scheduler(s);
        return sched_now();
    });
    REQUIRE(idle.ok());
    // Policy and flags only: the kernel keeps the previous nice value for SCHED_IDLE.
    CHECK_THAT(idle.output, Catch::StartsWith("5 "));
    CHECK_THAT(idle.output, Catch::EndsWith(" 0 1"));

    auto bad = run_in_child([] {
        hull::spec::Scheduler s;
        s.policy = "SCHED_OTHER";
        s.priority = 10;  // only real-time policies have a static priority
        sec::apply_scheduler(s);
        return sched_now();
    });
    CHECK(bad.exit_code == 1);
    CHECK_THAT(bad.output,
               Catch::StartsWith("sched_setattr policy SCHED_OTHER nice 0 priority 10: "));
}

TEST_CASE("apply_scheduler with a real-time policy", "[security][scheduler]") {
    auto fifo = run_in_child([] {
        hull::spec::Scheduler s;
        s.policy = "SCHED_FIFO";
        s.priority = 10;
        sec::apply_scheduler(s);
        return sched_now();
    });
    if (!fifo.ok() && fifo.output.find("Operation not permitted") != std::string::npos) {
        // cgroup v1 with RT group scheduling gives a non-root cgroup no RT runtime by default.
        WARN("SKIPPED SCHED_FIFO check: this cgroup has no real-time runtime (" + fifo.output +
             ")");
        return;
    }
    REQUIRE(fifo.ok());
    CHECK(fifo.output == "1 0 10 0");
}

TEST_CASE("apply_io_priority sets the I/O class and level", "[security][ioprio]") {
    auto r = run_in_child([] {
        sec::apply_io_priority({"IOPRIO_CLASS_BE", 6});
        long be = syscall(SYS_ioprio_get, 1, 0);
        sec::apply_io_priority({"IOPRIO_CLASS_IDLE", 0});
        long idle = syscall(SYS_ioprio_get, 1, 0);
        return std::to_string(be) + " " + std::to_string(idle);
    });
    REQUIRE(r.ok());
    CHECK(r.output == std::to_string((2 << 13) | 6) + " " + std::to_string(3 << 13));
}

TEST_CASE("apply_cpu_affinity pins to the listed CPUs", "[security][affinity]") {
    std::vector<int> cpus = allowed_cpus();
    REQUIRE_FALSE(cpus.empty());
    std::string last = std::to_string(cpus.back());
    auto one = run_in_child([&] {
        sec::apply_cpu_affinity(last);
        return affinity_now();
    });
    REQUIRE(one.ok());
    CHECK(one.output == last);
    if (cpus.size() >= 2) {
        std::string two = std::to_string(cpus[0]) + "," + std::to_string(cpus[1]);
        auto r = run_in_child([&] {
            sec::apply_cpu_affinity(std::to_string(cpus[1]) + "," + std::to_string(cpus[0]));
            return affinity_now();
        });
        REQUIRE(r.ok());
        CHECK(r.output == two);
    }
    auto absent = run_in_child([] {
        sec::apply_cpu_affinity("4000-4001");  // no such CPUs
        return affinity_now();
    });
    CHECK(absent.exit_code == 1);
    CHECK_THAT(absent.output, Catch::StartsWith("sched_setaffinity \"4000-4001\": "));
}

TEST_CASE("apply_personality switches the execution domain", "[security][personality]") {
    auto r = run_in_child([] {
        sec::apply_personality({"LINUX32", {}});
        int p32 = personality(0xffffffff);
        struct utsname u {};
        uname(&u);
        sec::apply_personality({"LINUX", {}});
        int p = personality(0xffffffff);
        return std::to_string(p32 & PER_MASK) + " " + u.machine + " " +
               std::to_string(p & PER_MASK);
    });
    REQUIRE(r.ok());
#if defined(__x86_64__)
    CHECK(r.output == std::to_string(PER_LINUX32) + " i686 0");
#else
    CHECK_THAT(r.output, Catch::StartsWith(std::to_string(PER_LINUX32) + " "));
#endif
}

TEST_CASE("apply_memory_policy sets the NUMA policy", "[security][mempolicy]") {
    auto get = [] {
        int mode = -1;
        unsigned long mask[16] = {};
        if (syscall(SYS_get_mempolicy, &mode, mask, 16 * 64, nullptr, 0) < 0) {
            hull::throw_errno("get_mempolicy");
        }
        return std::to_string(mode) + " " + std::to_string(mask[0]);
    };
    auto bind = run_in_child([&] {
        sec::apply_memory_policy({"MPOL_BIND", "0", {}});
        return get();
    });
    REQUIRE(bind.ok());
    CHECK(bind.output == std::to_string(MPOL_BIND) + " 1");

    auto interleave = run_in_child([&] {
        sec::apply_memory_policy({"MPOL_INTERLEAVE", "0", {"MPOL_F_STATIC_NODES"}});
        return get();
    });
    REQUIRE(interleave.ok());
    CHECK(interleave.output == std::to_string(MPOL_INTERLEAVE | MPOL_F_STATIC_NODES) + " 1");

    auto local = run_in_child([&] {
        sec::apply_memory_policy({"MPOL_LOCAL", "", {}});
        return get();
    });
    REQUIRE(local.ok());
    CHECK(local.output == std::to_string(MPOL_LOCAL) + " 0");

    auto no_nodes = run_in_child([&] {
        sec::apply_memory_policy({"MPOL_BIND", "", {}});
        return get();
    });
    CHECK(no_nodes.exit_code == 1);
    CHECK_THAT(no_nodes.output, Catch::StartsWith("set_mempolicy MPOL_BIND: "));
}

TEST_CASE("set_no_new_privileges sets NoNewPrivs", "[security][nnp]") {
    auto r = run_in_child([] {
        std::string before = status_field("NoNewPrivs");
        sec::set_no_new_privileges();
        return before + " " + status_field("NoNewPrivs");
    });
    REQUIRE(r.ok());
    CHECK_THAT(r.output, Catch::EndsWith(" 1"));
}
