// Per-process attributes the container's process gets just before execve: resource limits,
// OOM score, scheduling, I/O priority, CPU affinity, personality, NUMA policy, no_new_privs.
// Each function throws hull::Error naming the setting and value that failed.
#pragma once

#include <string>
#include <vector>

#include "spec/config.hpp"

namespace hull::security {

// setrlimit for each entry (by RLIMIT_* name). Validates all entries first: unknown names,
// duplicate types and soft > hard are errors, and nothing is applied.
void apply_rlimits(const std::vector<spec::Rlimit>& rlimits);

// sched_setattr(0, ...) with policy, nice, priority, flags and the deadline parameters.
void apply_scheduler(const spec::Scheduler& scheduler);

// ioprio_set(IOPRIO_WHO_PROCESS, 0, class|priority).
void apply_io_priority(const spec::IoPriority& io_priority);

// sched_setaffinity(0, ...) from a kernel cpu list such as "0-2,5".
void apply_cpu_affinity(const std::string& cpu_list);

// personality(2): LINUX or LINUX32. The spec defines no flags yet, so any flag is an error.
void apply_personality(const spec::Personality& personality);

// set_mempolicy(2) with an MPOL_* mode, MPOL_F_* flags and the node list.
void apply_memory_policy(const spec::MemoryPolicy& policy);

// prctl(PR_SET_NO_NEW_PRIVS, 1).
void set_no_new_privileges();

// Name tables, exposed for validation and tests. Each throws Error naming the bad value.
int rlimit_resource(const std::string& name);
int scheduler_policy(const std::string& name);
unsigned long long scheduler_flag(const std::string& name);
int io_priority_value(const spec::IoPriority& io_priority);  // IOPRIO_PRIO_VALUE(class, prio)
unsigned long personality_value(const spec::Personality& personality);
int memory_policy_mode(const spec::MemoryPolicy& policy);  // mode | flags, as set_mempolicy takes

}  // namespace hull::security
