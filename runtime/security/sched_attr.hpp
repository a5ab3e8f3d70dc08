// struct sched_attr (SCHED_ATTR_SIZE_VER1) as in <linux/sched/types.h>, which cannot be
// included next to glibc's <sched.h> (both define struct sched_param); glibc 2.36 has no
// sched_setattr/sched_getattr wrappers either.
#pragma once

#include <linux/types.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

namespace hull::security {

struct SchedAttr {
    __u32 size = sizeof(SchedAttr);
    __u32 sched_policy = 0;
    __u64 sched_flags = 0;
    __s32 sched_nice = 0;
    __u32 sched_priority = 0;
    __u64 sched_runtime = 0;
    __u64 sched_deadline = 0;
    __u64 sched_period = 0;
    __u32 sched_util_min = 0;
    __u32 sched_util_max = 0;
};

inline int sched_setattr(pid_t pid, SchedAttr* attr, unsigned int flags) {
    return static_cast<int>(::syscall(SYS_sched_setattr, pid, attr, flags));
}

inline int sched_getattr(pid_t pid, SchedAttr* attr, unsigned int flags) {
    return static_cast<int>(::syscall(SYS_sched_getattr, pid, attr, sizeof *attr, flags));
}

}  // namespace hull::security
