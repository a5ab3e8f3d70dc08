#include <linux/sched.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <utility>

#include "base/error.hpp"
#include "runtime/security/process_attrs.hpp"
#include "runtime/security/sched_attr.hpp"

namespace hull::security {

namespace {

const std::pair<const char*, int> kPolicies[] = {
    {"SCHED_OTHER", SCHED_OTHER},       {"SCHED_FIFO", SCHED_FIFO}, {"SCHED_RR", SCHED_RR},
    {"SCHED_BATCH", SCHED_BATCH},       {"SCHED_ISO", 4},           {"SCHED_IDLE", SCHED_IDLE},
    {"SCHED_DEADLINE", SCHED_DEADLINE},
};

const std::pair<const char*, unsigned long long> kFlags[] = {
    {"SCHED_FLAG_RESET_ON_FORK", SCHED_FLAG_RESET_ON_FORK},
    {"SCHED_FLAG_RECLAIM", SCHED_FLAG_RECLAIM},
    {"SCHED_FLAG_DL_OVERRUN", SCHED_FLAG_DL_OVERRUN},
    {"SCHED_FLAG_KEEP_POLICY", SCHED_FLAG_KEEP_POLICY},
    {"SCHED_FLAG_KEEP_PARAMS", SCHED_FLAG_KEEP_PARAMS},
    {"SCHED_FLAG_UTIL_CLAMP_MIN", SCHED_FLAG_UTIL_CLAMP_MIN},
    {"SCHED_FLAG_UTIL_CLAMP_MAX", SCHED_FLAG_UTIL_CLAMP_MAX},
};

}  // namespace

int scheduler_policy(const std::string& name) {
    // SCHED_ISO is reserved (value 4) but not implemented by Linux: the kernel rejects it
    // with EINVAL, and the error names the policy.
    for (const auto& [known, value] : kPolicies) {
        if (name == known) return value;
    }
    throw Error("scheduler policy \"" + name + "\": unknown");
}

unsigned long long scheduler_flag(const std::string& name) {
    for (const auto& [known, value] : kFlags) {
        if (name == known) return value;
    }
    throw Error("scheduler flag \"" + name + "\": unknown");
}

void apply_scheduler(const spec::Scheduler& scheduler) {
    SchedAttr attr;
    attr.sched_policy = static_cast<__u32>(scheduler_policy(scheduler.policy));
    for (const auto& flag : scheduler.flags)
        attr.sched_flags |= scheduler_flag(flag);
    attr.sched_nice = scheduler.nice.value_or(0);
    if (scheduler.priority.value_or(0) < 0) {
        throw Error("scheduler priority " + std::to_string(*scheduler.priority) + ": negative");
    }
    attr.sched_priority = static_cast<__u32>(scheduler.priority.value_or(0));
    attr.sched_runtime = scheduler.runtime.value_or(0);
    attr.sched_deadline = scheduler.deadline.value_or(0);
    attr.sched_period = scheduler.period.value_or(0);
    // The spec has no utilization clamp values; with the UTIL_CLAMP flags the kernel takes
    // util_min/util_max, which stay 0 (min) and 1024 (max, i.e. no clamp).
    attr.sched_util_min = 0;
    attr.sched_util_max = 1024;
    if (sched_setattr(0, &attr, 0) < 0) {
        throw_errno("sched_setattr policy " + scheduler.policy + " nice " +
                    std::to_string(attr.sched_nice) + " priority " +
                    std::to_string(attr.sched_priority));
    }
}

}  // namespace hull::security
