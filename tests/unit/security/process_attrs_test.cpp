// Name tables and input validation of the process attributes; nothing here changes the
// test process (every case throws before the system call or calls no system call at all).
#include <linux/mempolicy.h>
#include <sched.h>
#include <sys/personality.h>
#include <sys/resource.h>

#include <catch2/catch.hpp>

#include "base/error.hpp"
#include "runtime/security/process_attrs.hpp"

namespace sec = hull::security;
using hull::spec::Rlimit;

TEST_CASE("rlimit names map to RLIMIT_* resources", "[security][rlimits]") {
    CHECK(sec::rlimit_resource("RLIMIT_NOFILE") == RLIMIT_NOFILE);
    CHECK(sec::rlimit_resource("RLIMIT_CORE") == RLIMIT_CORE);
    CHECK(sec::rlimit_resource("RLIMIT_RTTIME") == RLIMIT_RTTIME);
    CHECK_THROWS_WITH(sec::rlimit_resource("RLIMIT_BOGUS"),
                      "rlimit \"RLIMIT_BOGUS\": unknown resource type");
    CHECK_THROWS(sec::rlimit_resource("nofile"));
}

TEST_CASE("apply_rlimits validates every entry before applying any", "[security][rlimits]") {
    struct rlimit before {};
    REQUIRE(getrlimit(RLIMIT_CORE, &before) == 0);
    // The first entry is valid and would change RLIMIT_CORE; the second is bad, so nothing
    // may be applied.
    Rlimit core{"RLIMIT_CORE", 0, 0};
    CHECK_THROWS_WITH(sec::apply_rlimits({core, Rlimit{"RLIMIT_NOPE", 1, 1}}),
                      Catch::Contains("RLIMIT_NOPE"));
    CHECK_THROWS_WITH(sec::apply_rlimits({core, Rlimit{"RLIMIT_CORE", 1, 1}}),
                      "rlimit RLIMIT_CORE: listed more than once");
    CHECK_THROWS_WITH(sec::apply_rlimits({core, Rlimit{"RLIMIT_NOFILE", 10, 5}}),
                      "rlimit RLIMIT_NOFILE: soft limit 10 is above hard limit 5");
    struct rlimit after {};
    REQUIRE(getrlimit(RLIMIT_CORE, &after) == 0);
    CHECK(after.rlim_cur == before.rlim_cur);
    CHECK(after.rlim_max == before.rlim_max);
}

TEST_CASE("scheduler policies and flags", "[security][scheduler]") {
    CHECK(sec::scheduler_policy("SCHED_OTHER") == SCHED_OTHER);
    CHECK(sec::scheduler_policy("SCHED_FIFO") == SCHED_FIFO);
    CHECK(sec::scheduler_policy("SCHED_RR") == SCHED_RR);
    CHECK(sec::scheduler_policy("SCHED_BATCH") == SCHED_BATCH);
    CHECK(sec::scheduler_policy("SCHED_IDLE") == SCHED_IDLE);
    CHECK(sec::scheduler_policy("SCHED_DEADLINE") == 6);
    CHECK(sec::scheduler_policy("SCHED_ISO") == 4);
    CHECK_THROWS_WITH(sec::scheduler_policy("SCHED_FAST"),
                      "scheduler policy \"SCHED_FAST\": unknown");
    CHECK(sec::scheduler_flag("SCHED_FLAG_RESET_ON_FORK") == 0x01);
    CHECK(sec::scheduler_flag("SCHED_FLAG_RECLAIM") == 0x02);
    CHECK(sec::scheduler_flag("SCHED_FLAG_DL_OVERRUN") == 0x04);
    CHECK(sec::scheduler_flag("SCHED_FLAG_KEEP_POLICY") == 0x08);
    CHECK(sec::scheduler_flag("SCHED_FLAG_KEEP_PARAMS") == 0x10);
    CHECK(sec::scheduler_flag("SCHED_FLAG_UTIL_CLAMP_MIN") == 0x20);
    CHECK(sec::scheduler_flag("SCHED_FLAG_UTIL_CLAMP_MAX") == 0x40);
    CHECK_THROWS_WITH(sec::scheduler_flag("SCHED_FLAG_X"),
                      "scheduler flag \"SCHED_FLAG_X\": unknown");
    hull::spec::Scheduler bad;
    bad.policy = "SCHED_OTHER";
    bad.flags = {"SCHED_FLAG_NOPE"};
    CHECK_THROWS_WITH(sec::apply_scheduler(bad), Catch::Contains("SCHED_FLAG_NOPE"));
}

TEST_CASE("io priority value packs class and level", "[security][ioprio]") {
    CHECK(sec::io_priority_value({"IOPRIO_CLASS_RT", 0}) == (1 << 13));
    CHECK(sec::io_priority_value({"IOPRIO_CLASS_BE", 7}) == ((2 << 13) | 7));
    CHECK(sec::io_priority_value({"IOPRIO_CLASS_IDLE", 3}) == ((3 << 13) | 3));
    CHECK_THROWS_WITH(sec::io_priority_value({"IOPRIO_CLASS_NONE", 0}),
                      "ioPriority class \"IOPRIO_CLASS_NONE\": unknown");
    CHECK_THROWS_WITH(sec::io_priority_value({"IOPRIO_CLASS_BE", 8}),
                      "ioPriority priority 8: must be 0 to 7");
    CHECK_THROWS(sec::io_priority_value({"IOPRIO_CLASS_BE", -1}));
}

TEST_CASE("personality domains, flags are not defined by the spec", "[security][personality]") {
    CHECK(sec::personality_value({"LINUX", {}}) == PER_LINUX);
    CHECK(sec::personality_value({"LINUX32", {}}) == PER_LINUX32);
    CHECK_THROWS_WITH(sec::personality_value({"SVR4", {}}), "personality domain \"SVR4\": unknown");
    CHECK_THROWS_WITH(sec::personality_value({"LINUX", {"ADDR_NO_RANDOMIZE"}}),
                      "personality flag \"ADDR_NO_RANDOMIZE\": not supported");
}

TEST_CASE("memory policy modes and flags", "[security][mempolicy]") {
    CHECK(sec::memory_policy_mode({"MPOL_DEFAULT", "", {}}) == MPOL_DEFAULT);
    CHECK(sec::memory_policy_mode({"MPOL_BIND", "0", {}}) == MPOL_BIND);
    CHECK(sec::memory_policy_mode({"MPOL_LOCAL", "", {}}) == MPOL_LOCAL);
    CHECK(sec::memory_policy_mode({"MPOL_PREFERRED_MANY", "0", {}}) == MPOL_PREFERRED_MANY);
    CHECK(sec::memory_policy_mode({"MPOL_WEIGHTED_INTERLEAVE", "0", {}}) == 6);
    CHECK(sec::memory_policy_mode({"MPOL_INTERLEAVE", "0-1", {"MPOL_F_STATIC_NODES"}}) ==
          (MPOL_INTERLEAVE | MPOL_F_STATIC_NODES));
    CHECK(sec::memory_policy_mode(
              {"MPOL_BIND", "0", {"MPOL_F_RELATIVE_NODES", "MPOL_F_NUMA_BALANCING"}}) ==
          (MPOL_BIND | MPOL_F_RELATIVE_NODES | MPOL_F_NUMA_BALANCING));
    CHECK_THROWS_WITH(sec::memory_policy_mode({"MPOL_RANDOM", "", {}}),
                      "memoryPolicy mode \"MPOL_RANDOM\": unknown");
    CHECK_THROWS_WITH(sec::memory_policy_mode({"MPOL_BIND", "0", {"MPOL_F_X"}}),
                      "memoryPolicy flag \"MPOL_F_X\": unknown");
    CHECK_THROWS_WITH(sec::apply_memory_policy({"MPOL_BIND", "0-x", {}}),
                      Catch::Contains("memoryPolicy nodes"));
}

TEST_CASE("cpu affinity parse errors are clear", "[security][affinity]") {
    CHECK_THROWS_WITH(sec::apply_cpu_affinity("0-"), Catch::Contains("cpu list \"0-\""));
    CHECK_THROWS_WITH(sec::apply_cpu_affinity(""), "cpu list: empty list");
}
