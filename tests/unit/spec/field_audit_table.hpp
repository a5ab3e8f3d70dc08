// Issue 17: every field of config.json that the runtime-spec schemas define (spec/schema/),
// and what shows what hull does with it. Read by field_audit_test.cpp, which walks the schemas:
// a field missing here, an entry for a field the schemas do not have, or a test name that no
// test case has, fails it. Fields are JSON pointers with * for an array item or a map value.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace hull::test::field_audit {

// A test case that shows the field's effect.
struct Tested {
    std::string field;
    std::string test_case;
};

// What parse_config says when a config sets the field: the value goes at set_at in hull's
// default config, and the error must contain error.
struct Refused {
    std::string field;
    std::string set_at;
    std::string json;
    std::string error;
};

// Accepted and not acted on, as the spec allows: a config setting it (value at set_at in the
// default config) must parse.
struct Ignored {
    std::string field;
    std::string set_at;
    std::string json;
    std::string reason;
};

// Parsed (parse_config fills every field) but no test shows what it does. Only shrinks.
struct Untested {
    std::string field;
    std::string note;
};

// Everything under these top-level members: the other platforms' sections. The spec keeps them
// for runtimes of those platforms; hull's converter never reads them, so a config with one is
// accepted and the section ignored (checked: each value below parses).
struct OtherPlatform {
    std::string member;
    std::string json;
};

inline const std::vector<OtherPlatform> kOtherPlatforms = {
    {"windows", R"({"layerFolders": ["C:\\layers\\1"]})"},
    {"solaris", R"({"milestone": "svc:/milestone/container:default"})"},
    {"vm", R"({"kernel": {"path": "/boot/vmlinuz"}})"},
    {"zos", R"({})"},
    {"freebsd", R"({})"},
};

inline std::vector<Tested> tested() {
    std::vector<Tested> t = {
        {"/ociVersion", "bad input leaves nothing behind"},
        {"/root", "root.readonly makes / read-only"},
        {"/root/path", "bad input leaves nothing behind"},
        {"/root/readonly", "root.readonly makes / read-only"},
        {"/hostname", "hostname and domainname"},
        {"/domainname", "hostname and domainname"},
        {"/annotations", "the mode comes from the flag or the annotation, which must be a boolean"},
        {"/annotations/*",
         "the mode comes from the flag or the annotation, which must be a boolean"},
        {"/hooks", "hooks of every phase run in order with exact argv, env, state and namespaces"},
        // mounts
        {"/mounts", "mounts: tmpfs with options, read-only bind, nosuid/noexec in mountinfo"},
        {"/mounts/*", "mounts: tmpfs with options, read-only bind, nosuid/noexec in mountinfo"},
        {"/mounts/*/destination",
         "mounts: tmpfs with options, read-only bind, nosuid/noexec in mountinfo"},
        {"/mounts/*/source",
         "mounts: tmpfs with options, read-only bind, nosuid/noexec in mountinfo"},
        {"/mounts/*/type",
         "mounts: tmpfs with options, read-only bind, nosuid/noexec in mountinfo"},
        {"/mounts/*/options",
         "mounts: tmpfs with options, read-only bind, nosuid/noexec in mountinfo"},
        {"/mounts/*/options/*",
         "mounts: tmpfs with options, read-only bind, nosuid/noexec in mountinfo"},
        // process
        {"/process", "process args, env and cwd"},
        {"/process/args", "process args, env and cwd"},
        {"/process/args/*", "process args, env and cwd"},
        {"/process/env", "process args, env and cwd"},
        {"/process/env/*", "process args, env and cwd"},
        {"/process/cwd", "process args, env and cwd"},
        {"/process/terminal", "create --console-socket sends a working pty master"},
        {"/process/consoleSize", "create --console-socket sends a working pty master"},
        {"/process/consoleSize/height", "create --console-socket sends a working pty master"},
        {"/process/consoleSize/width", "create --console-socket sends a working pty master"},
        {"/process/user", "process user: uid, gid, additionalGids, umask"},
        {"/process/user/uid", "process user: uid, gid, additionalGids, umask"},
        {"/process/user/gid", "process user: uid, gid, additionalGids, umask"},
        {"/process/user/umask", "process user: uid, gid, additionalGids, umask"},
        {"/process/user/additionalGids", "process user: uid, gid, additionalGids, umask"},
        {"/process/user/additionalGids/*", "process user: uid, gid, additionalGids, umask"},
        {"/process/capabilities", "capabilities: all five sets, and noNewPrivileges"},
        {"/process/noNewPrivileges", "capabilities: all five sets, and noNewPrivileges"},
        {"/process/apparmorProfile", "apparmorProfile with AppArmor off is a clear error"},
        {"/process/selinuxLabel", "apparmorProfile with AppArmor off is a clear error"},
        {"/process/oomScoreAdj", "oomScoreAdj"},
        {"/process/rlimits", "rlimits"},
        {"/process/rlimits/*", "rlimits"},
        {"/process/rlimits/*/type", "rlimits"},
        {"/process/rlimits/*/soft", "rlimits"},
        {"/process/rlimits/*/hard", "rlimits"},
        {"/process/scheduler", "scheduler policy"},
        {"/process/scheduler/policy", "scheduler policy"},
        {"/process/scheduler/nice", "scheduler policy"},
        {"/process/scheduler/priority", "apply_scheduler with a real-time policy"},
        {"/process/scheduler/flags", "apply_scheduler sets policy, nice and priority"},
        {"/process/scheduler/flags/*", "apply_scheduler sets policy, nice and priority"},
        {"/process/scheduler/runtime",
         "scheduler SCHED_DEADLINE: runtime, deadline and period reach the process"},
        {"/process/scheduler/deadline",
         "scheduler SCHED_DEADLINE: runtime, deadline and period reach the process"},
        {"/process/scheduler/period",
         "scheduler SCHED_DEADLINE: runtime, deadline and period reach the process"},
        {"/process/ioPriority", "ioPriority"},
        {"/process/ioPriority/class", "ioPriority"},
        {"/process/ioPriority/priority", "ioPriority"},
        {"/process/execCPUAffinity", "execCPUAffinity final pins exec'd processes, not init"},
        {"/process/execCPUAffinity/initial",
         "execCPUAffinity initial alone stays the exec'd process's affinity in the cgroup"},
        {"/process/execCPUAffinity/final", "execCPUAffinity final pins exec'd processes, not init"},
        // linux
        {"/linux", "namespaces: each requested one is new, others are the host's"},
        {"/linux/namespaces", "namespaces: each requested one is new, others are the host's"},
        {"/linux/namespaces/*", "namespaces: each requested one is new, others are the host's"},
        {"/linux/namespaces/*/type",
         "namespaces: each requested one is new, others are the host's"},
        {"/linux/namespaces/*/path", "a namespace joined by path is the one at that path"},
        {"/linux/timeOffsets", "time namespace offsets"},
        {"/linux/devices", "linux.devices are created with type, numbers, mode and owner"},
        {"/linux/netDevices",
         "netDevices: a veth end moves in renamed, with its addresses, and up"},
        {"/linux/netDevices/*",
         "netDevices: a veth end moves in renamed, with its addresses, and up"},
        {"/linux/netDevices/*/name",
         "netDevices: a veth end moves in renamed, with its addresses, and up"},
        {"/linux/cgroupsPath",
         "cgroups: a relative path is under our own cgroup in each hierarchy"},
        {"/linux/sysctl", "sysctl is written inside the container's namespaces"},
        {"/linux/sysctl/*", "sysctl is written inside the container's namespaces"},
        {"/linux/rootfsPropagation", "no_pivot, console, devices and shared propagation"},
        {"/linux/maskedPaths", "maskedPaths and readonlyPaths"},
        {"/linux/maskedPaths/*", "maskedPaths and readonlyPaths"},
        {"/linux/readonlyPaths", "maskedPaths and readonlyPaths"},
        {"/linux/readonlyPaths/*", "maskedPaths and readonlyPaths"},
        {"/linux/personality", "personality LINUX32 makes uname report i686"},
        {"/linux/personality/domain", "personality LINUX32 makes uname report i686"},
        {"/linux/memoryPolicy", "apply_memory_policy sets the NUMA policy"},
        {"/linux/memoryPolicy/mode", "apply_memory_policy sets the NUMA policy"},
        {"/linux/memoryPolicy/nodes", "apply_memory_policy sets the NUMA policy"},
        {"/linux/memoryPolicy/flags", "apply_memory_policy sets the NUMA policy"},
        {"/linux/memoryPolicy/flags/*", "apply_memory_policy sets the NUMA policy"},
        // Refused at create (hull cannot apply it, and the spec says to fail): the whole object
        // whatever it holds.
        {"/linux/intelRdt", "bad input leaves nothing behind"},
        {"/linux/intelRdt/closID", "bad input leaves nothing behind"},
        {"/linux/intelRdt/l3CacheSchema", "bad input leaves nothing behind"},
        {"/linux/intelRdt/memBwSchema", "bad input leaves nothing behind"},
        {"/linux/intelRdt/schemata", "bad input leaves nothing behind"},
        {"/linux/intelRdt/schemata/*", "bad input leaves nothing behind"},
        {"/linux/intelRdt/enableMonitoring", "bad input leaves nothing behind"},
        // seccomp
        {"/linux/seccomp", "seccomp: a blocked syscall returns the configured errno"},
        {"/linux/seccomp/defaultAction", "seccomp default ERRNO with an allow list"},
        {"/linux/seccomp/defaultErrnoRet", "seccomp default ERRNO with an allow list"},
        {"/linux/seccomp/architectures", "seccomp: architectures and flags"},
        {"/linux/seccomp/architectures/*", "seccomp: architectures and flags"},
        {"/linux/seccomp/flags", "seccomp: architectures and flags"},
        {"/linux/seccomp/flags/*", "seccomp: architectures and flags"},
        {"/linux/seccomp/listenerPath",
         "seccomp notify: the agent gets the fd and the state, and decides the syscall"},
        {"/linux/seccomp/listenerMetadata",
         "seccomp notify: the agent gets the fd and the state, and decides the syscall"},
        {"/linux/seccomp/syscalls", "seccomp: a blocked syscall returns the configured errno"},
        {"/linux/seccomp/syscalls/*", "seccomp: a blocked syscall returns the configured errno"},
        {"/linux/seccomp/syscalls/*/names",
         "seccomp: a blocked syscall returns the configured errno"},
        {"/linux/seccomp/syscalls/*/names/*",
         "seccomp: a blocked syscall returns the configured errno"},
        {"/linux/seccomp/syscalls/*/action",
         "seccomp: a blocked syscall returns the configured errno"},
        {"/linux/seccomp/syscalls/*/errnoRet", "seccomp ERRNO makes a syscall fail with errnoRet"},
        {"/linux/seccomp/syscalls/*/args", "seccomp argument conditions"},
        {"/linux/seccomp/syscalls/*/args/*", "seccomp argument conditions"},
        {"/linux/seccomp/syscalls/*/args/*/index", "seccomp argument conditions"},
        {"/linux/seccomp/syscalls/*/args/*/value", "seccomp argument conditions"},
        {"/linux/seccomp/syscalls/*/args/*/valueTwo", "seccomp argument conditions"},
        {"/linux/seccomp/syscalls/*/args/*/op", "seccomp argument conditions"},
        // resources
        {"/linux/resources", "resources are written to the container's cgroup before it runs"},
        {"/linux/resources/memory", "cgroups: memory limits, both write orders of limit and memsw"},
        {"/linux/resources/memory/useHierarchy", "cgroups: memory errors name the field"},
        {"/linux/resources/memory/checkBeforeUpdate",
         "update with checkBeforeUpdate refuses a memory limit below the current usage"},
        {"/linux/resources/cpu", "cgroups: cpu and cpuset"},
        {"/linux/resources/cpu/realtimePeriod",
         "cgroups: real-time cpu limits where the kernel has them"},
        {"/linux/resources/cpu/realtimeRuntime",
         "cgroups: real-time cpu limits where the kernel has them"},
        {"/linux/resources/pids", "cgroups: pids.max"},
        {"/linux/resources/pids/limit", "cgroups: pids.max"},
        {"/linux/resources/blockIO", "cgroups: blockIO"},
        {"/linux/resources/blockIO/weight", "cgroups: blockIO"},
        {"/linux/resources/blockIO/leafWeight", "cgroups: blockIO"},
        {"/linux/resources/hugepageLimits",
         "cgroups: hugepage limits go where hugetlb is, or fail naming the field"},
        {"/linux/resources/hugepageLimits/*",
         "cgroups: hugepage limits go where hugetlb is, or fail naming the field"},
        {"/linux/resources/hugepageLimits/*/pageSize",
         "cgroups: hugepage limits go where hugetlb is, or fail naming the field"},
        {"/linux/resources/hugepageLimits/*/limit",
         "cgroups: hugepage limits go where hugetlb is, or fail naming the field"},
        {"/linux/resources/network", "cgroups: network and rdma controllers"},
        {"/linux/resources/network/classID", "cgroups: network and rdma controllers"},
        {"/linux/resources/network/priorities", "cgroups: network and rdma controllers"},
        {"/linux/resources/network/priorities/*", "cgroups: network and rdma controllers"},
        {"/linux/resources/network/priorities/*/name", "cgroups: network and rdma controllers"},
        {"/linux/resources/network/priorities/*/priority", "cgroups: network and rdma controllers"},
        {"/linux/resources/rdma", "cgroups: network and rdma controllers"},
        {"/linux/resources/rdma/*", "cgroups: network and rdma controllers"},
        {"/linux/resources/rdma/*/hcaHandles", "cgroups: network and rdma controllers"},
        {"/linux/resources/rdma/*/hcaObjects", "cgroups: network and rdma controllers"},
        {"/linux/resources/unified", "cgroups: unified keys"},
        {"/linux/resources/unified/*", "cgroups: unified keys"},
        {"/linux/resources/devices", "cgroups: device rules in config order"},
        {"/linux/resources/devices/*", "cgroups: device rules in config order"},
    };
    // The same members in several places, each with its test.
    for (const char* phase : {"prestart", "createRuntime", "createContainer", "startContainer",
                              "poststart", "poststop"}) {
        const std::string p = std::string("/hooks/") + phase;
        const std::string order =
            "hooks of every phase run in order with exact argv, env, state and namespaces";
        for (const char* member :
             {"", "/*", "/*/path", "/*/args", "/*/args/*", "/*/env", "/*/env/*"})
            t.push_back({p + member, order});
        t.push_back({p + "/*/timeout",
                     "a hook past its timeout is killed with its children and "
                     "fails create"});
    }
    for (const char* set : {"ambient", "bounding", "effective", "inheritable", "permitted"}) {
        const std::string p = std::string("/process/capabilities/") + set;
        t.push_back({p, "capabilities: all five sets, and noNewPrivileges"});
        t.push_back({p + "/*", "capabilities: all five sets, and noNewPrivileges"});
    }
    for (const char* map : {"/linux/uidMappings", "/linux/gidMappings"})
        for (const char* member : {"", "/*", "/*/containerID", "/*/hostID", "/*/size"})
            t.push_back({map + std::string(member), "user namespace with uid/gid mappings"});
    for (const char* map : {"/mounts/*/uidMappings", "/mounts/*/gidMappings"})
        for (const char* member : {"", "/*", "/*/containerID", "/*/hostID", "/*/size"})
            t.push_back({map + std::string(member), "idmap bind mount"});
    for (const char* clock : {"boottime", "monotonic"})
        for (const char* member : {"", "/secs", "/nanosecs"})
            t.push_back(
                {"/linux/timeOffsets/" + std::string(clock) + member, "time namespace offsets"});
    for (const char* member :
         {"/*", "/*/path", "/*/type", "/*/major", "/*/minor", "/*/fileMode", "/*/uid", "/*/gid"})
        t.push_back({"/linux/devices" + std::string(member),
                     "linux.devices are created with type, numbers, mode and owner"});
    for (const char* member :
         {"limit", "reservation", "swap", "kernel", "kernelTCP", "swappiness", "disableOOMKiller"})
        t.push_back({"/linux/resources/memory/" + std::string(member),
                     "cgroups: memory limits, both write orders of limit and memsw"});
    for (const char* member : {"shares", "quota", "period", "burst", "cpus", "mems", "idle"})
        t.push_back({"/linux/resources/cpu/" + std::string(member), "cgroups: cpu and cpuset"});
    for (const char* list : {"throttleReadBpsDevice", "throttleWriteIOPSDevice"})
        for (const char* member : {"", "/*", "/*/major", "/*/minor", "/*/rate"})
            t.push_back(
                {"/linux/resources/blockIO/" + std::string(list) + member, "cgroups: blockIO"});
    // On a host without BFQ or CFQ the weightDevice part shows the error naming the field.
    const std::string per_device =
        "cgroups: blockIO throttleReadIOPSDevice, throttleWriteBpsDevice and weightDevice";
    for (const char* list : {"throttleReadIOPSDevice", "throttleWriteBpsDevice"})
        for (const char* member : {"", "/*", "/*/major", "/*/minor", "/*/rate"})
            t.push_back({"/linux/resources/blockIO/" + std::string(list) + member, per_device});
    for (const char* member : {"", "/*", "/*/major", "/*/minor", "/*/weight", "/*/leafWeight"})
        t.push_back({"/linux/resources/blockIO/weightDevice" + std::string(member), per_device});
    for (const char* member : {"allow", "type", "major", "minor", "access"})
        t.push_back({"/linux/resources/devices/*/" + std::string(member),
                     "cgroups: device rules in config order"});
    return t;
}

inline const std::vector<Refused> kRefused = {
    {"/linux/personality/flags", "/linux/personality",
     R"({"domain": "LINUX", "flags": ["ADDR_NO_RANDOMIZE"]})", "unsupported personality flag"},
    {"/linux/personality/flags/*", "/linux/personality",
     R"({"domain": "LINUX", "flags": ["ADDR_NO_RANDOMIZE"]})", "unsupported personality flag"},
};

inline const std::vector<Ignored> kIgnored = {
    {"/process/commandLine", "/process/commandLine", R"("sh -c true")",
     "Windows only (config.md): hull runs process.args"},
    {"/process/user/username", "/process/user/username", R"("root")",
     "Windows only (config.md): hull uses uid and gid"},
};

inline const std::vector<Untested> kUntested = {
    {"/linux/mountLabel",
     "no SELinux on the test hosts: without it there is nothing to label (accepted and unused, "
     "as runc), with it hull refuses the field; no host to test either"},
};
inline constexpr std::size_t kUntestedMax = 1;

}  // namespace hull::test::field_audit
