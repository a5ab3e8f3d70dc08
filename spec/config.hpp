// The typed OCI runtime-spec v1.3.0 config.json model (the parts that apply to Linux).
// Optional JSON members are std::optional (absent != zero); arrays and maps absent are empty.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

// GNU mode predefines `linux` as 1, which would break Config::linux below.
#ifdef linux
#error "hull must be compiled with -std=c++20 (CMAKE_CXX_EXTENSIONS OFF), not gnu++20"
#endif

namespace hull::spec {

inline constexpr const char* kOciVersion = "1.3.0";

struct IdMapping {
    std::uint32_t container_id = 0;
    std::uint32_t host_id = 0;
    std::uint32_t size = 0;
};

struct Hook {
    std::string path;
    std::vector<std::string> args;
    std::vector<std::string> env;
    std::optional<int> timeout;  // seconds, >= 1
};

struct Hooks {
    std::vector<Hook> prestart;
    std::vector<Hook> create_runtime;
    std::vector<Hook> create_container;
    std::vector<Hook> start_container;
    std::vector<Hook> poststart;
    std::vector<Hook> poststop;
};

struct Mount {
    std::string destination;
    std::string type;
    std::string source;
    std::vector<std::string> options;
    std::vector<IdMapping> uid_mappings;
    std::vector<IdMapping> gid_mappings;
};

struct Root {
    std::string path;
    bool readonly = false;
};

struct ConsoleSize {
    std::uint64_t height = 0;
    std::uint64_t width = 0;
};

struct User {
    std::uint32_t uid = 0;
    std::uint32_t gid = 0;
    std::optional<std::uint32_t> umask;
    std::vector<std::uint32_t> additional_gids;
    std::string username;  // Windows only; kept for round trips
};

struct Capabilities {
    // Absent set (nullopt) and empty set differ: absent means "leave as the runtime default".
    std::optional<std::vector<std::string>> bounding;
    std::optional<std::vector<std::string>> effective;
    std::optional<std::vector<std::string>> inheritable;
    std::optional<std::vector<std::string>> permitted;
    std::optional<std::vector<std::string>> ambient;
};

struct Rlimit {
    std::string type;  // RLIMIT_*
    std::uint64_t soft = 0;
    std::uint64_t hard = 0;
};

struct IoPriority {
    std::string klass;  // IOPRIO_CLASS_RT | IOPRIO_CLASS_BE | IOPRIO_CLASS_IDLE
    std::int32_t priority = 0;
};

struct Scheduler {
    std::string policy;  // SCHED_*
    std::optional<std::int32_t> nice;
    std::optional<std::int32_t> priority;
    std::vector<std::string> flags;  // SCHED_FLAG_*
    std::optional<std::uint64_t> runtime;
    std::optional<std::uint64_t> deadline;
    std::optional<std::uint64_t> period;
};

struct ExecCpuAffinity {
    std::string initial;  // cpu list, e.g. "0-3,7"
    std::string final;
};

struct Process {
    bool terminal = false;
    std::optional<ConsoleSize> console_size;
    User user;
    std::vector<std::string> args;
    std::string command_line;  // Windows only
    std::vector<std::string> env;
    std::string cwd;
    std::optional<Capabilities> capabilities;
    std::vector<Rlimit> rlimits;
    bool no_new_privileges = false;
    std::string apparmor_profile;
    std::optional<int> oom_score_adj;
    std::string selinux_label;
    std::optional<IoPriority> io_priority;
    std::optional<Scheduler> scheduler;
    std::optional<ExecCpuAffinity> exec_cpu_affinity;
};

struct Namespace {
    std::string type;  // mount | pid | network | uts | ipc | user | cgroup | time
    std::string path;  // empty: create a new one
};

struct Device {
    std::string type;  // c | b | u | p
    std::string path;
    std::int64_t major = 0;
    std::int64_t minor = 0;
    std::optional<std::uint32_t> file_mode;
    std::optional<std::uint32_t> uid;
    std::optional<std::uint32_t> gid;
};

struct NetDevice {
    std::string name;  // name inside the container; empty: keep the host name
};

struct DeviceCgroupRule {
    bool allow = false;
    std::string type;                   // a | c | b; empty means "a"
    std::optional<std::int64_t> major;  // nullopt: any (*)
    std::optional<std::int64_t> minor;
    std::string access;  // subset of "rwm"
};

struct MemoryResources {
    std::optional<std::int64_t> limit;
    std::optional<std::int64_t> reservation;
    std::optional<std::int64_t> swap;
    std::optional<std::int64_t> kernel;
    std::optional<std::int64_t> kernel_tcp;
    std::optional<std::uint64_t> swappiness;
    std::optional<bool> disable_oom_killer;
    std::optional<bool> use_hierarchy;
    std::optional<bool> check_before_update;
};

struct CpuResources {
    std::optional<std::uint64_t> shares;
    std::optional<std::int64_t> quota;
    std::optional<std::uint64_t> burst;
    std::optional<std::uint64_t> period;
    std::optional<std::int64_t> realtime_runtime;
    std::optional<std::uint64_t> realtime_period;
    std::string cpus;
    std::string mems;
    std::optional<std::int64_t> idle;
};

struct PidsResources {
    std::int64_t limit = 0;
};

struct BlockIoDeviceWeight {
    std::int64_t major = 0;
    std::int64_t minor = 0;
    std::optional<std::uint16_t> weight;
    std::optional<std::uint16_t> leaf_weight;
};

struct BlockIoDeviceThrottle {
    std::int64_t major = 0;
    std::int64_t minor = 0;
    std::uint64_t rate = 0;
};

struct BlockIoResources {
    std::optional<std::uint16_t> weight;
    std::optional<std::uint16_t> leaf_weight;
    std::vector<BlockIoDeviceWeight> weight_device;
    std::vector<BlockIoDeviceThrottle> throttle_read_bps_device;
    std::vector<BlockIoDeviceThrottle> throttle_write_bps_device;
    std::vector<BlockIoDeviceThrottle> throttle_read_iops_device;
    std::vector<BlockIoDeviceThrottle> throttle_write_iops_device;
};

struct HugepageLimit {
    std::string page_size;  // e.g. "2MB"
    std::uint64_t limit = 0;
};

struct NetworkPriority {
    std::string name;
    std::uint32_t priority = 0;
};

struct NetworkResources {
    std::optional<std::uint32_t> class_id;
    std::vector<NetworkPriority> priorities;
};

struct RdmaLimit {
    std::optional<std::uint32_t> hca_handles;
    std::optional<std::uint32_t> hca_objects;
};

struct Resources {
    std::vector<DeviceCgroupRule> devices;
    std::optional<MemoryResources> memory;
    std::optional<CpuResources> cpu;
    std::optional<PidsResources> pids;
    std::optional<BlockIoResources> block_io;
    std::vector<HugepageLimit> hugepage_limits;
    std::optional<NetworkResources> network;
    std::map<std::string, RdmaLimit> rdma;
    std::map<std::string, std::string> unified;
};

struct SeccompArg {
    std::uint32_t index = 0;
    std::uint64_t value = 0;
    std::uint64_t value_two = 0;
    std::string op;  // SCMP_CMP_*
};

struct SeccompSyscall {
    std::vector<std::string> names;
    std::string action;  // SCMP_ACT_*
    std::optional<std::uint32_t> errno_ret;
    std::vector<SeccompArg> args;
};

struct Seccomp {
    std::string default_action;
    std::optional<std::uint32_t> default_errno_ret;
    std::vector<std::string> architectures;
    std::vector<std::string> flags;
    std::string listener_path;
    std::string listener_metadata;
    std::vector<SeccompSyscall> syscalls;
};

struct IntelRdt {
    std::string clos_id;
    std::vector<std::string> schemata;
    std::string l3_cache_schema;
    std::string mem_bw_schema;
    std::optional<bool> enable_monitoring;
};

struct MemoryPolicy {
    std::string mode;  // MPOL_*
    std::string nodes;
    std::vector<std::string> flags;
};

struct Personality {
    std::string domain;  // LINUX | LINUX32
    std::vector<std::string> flags;
};

struct TimeOffset {
    std::int64_t secs = 0;
    std::uint32_t nanosecs = 0;
};

struct Linux {
    std::vector<Namespace> namespaces;
    std::vector<IdMapping> uid_mappings;
    std::vector<IdMapping> gid_mappings;
    std::map<std::string, TimeOffset> time_offsets;  // "boottime" | "monotonic"
    std::vector<Device> devices;
    std::map<std::string, NetDevice> net_devices;
    std::string cgroups_path;
    std::optional<Resources> resources;
    std::string rootfs_propagation;
    std::optional<Seccomp> seccomp;
    std::map<std::string, std::string> sysctl;
    std::vector<std::string> masked_paths;
    std::vector<std::string> readonly_paths;
    std::string mount_label;
    std::optional<IntelRdt> intel_rdt;
    std::optional<MemoryPolicy> memory_policy;
    std::optional<Personality> personality;
};

struct Config {
    std::string oci_version;
    std::optional<Root> root;
    std::vector<Mount> mounts;
    std::optional<Process> process;
    std::string hostname;
    std::string domainname;
    std::optional<Hooks> hooks;
    std::map<std::string, std::string> annotations;
    std::optional<Linux> linux;

    // True when linux.namespaces lists a namespace of this type (created or joined).
    bool has_namespace(const std::string& type) const;
    // The namespace entry of this type, or nullptr.
    const Namespace* find_namespace(const std::string& type) const;
};

}  // namespace hull::spec
