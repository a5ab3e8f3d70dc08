#include "spec/features.hpp"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <seccomp.h>

#include <string_view>
#include <vector>

#include "spec/capability_names.hpp"

namespace hull::spec {

namespace {

using Names = std::vector<std::string_view>;

// Everything hull claims lives in this table; update it as features land.
struct Support {
    std::string_view oci_version_min = "1.0.0";
    std::string_view oci_version_max = "1.3.0";
    Names hooks = {"prestart",       "createRuntime", "createContainer",
                   "startContainer", "poststart",     "poststop"};
    // bundle/mount_options.cpp's names; tests/unit/bundle/mount_options_test.cpp holds the two
    // lists equal.
    Names mount_options = {"async",
                           "atime",
                           "bind",
                           "dev",
                           "diratime",
                           "dirsync",
                           "exec",
                           "idmap",
                           "iversion",
                           "lazytime",
                           "loud",
                           "mand",
                           "noatime",
                           "nodev",
                           "nodiratime",
                           "noexec",
                           "noiversion",
                           "nolazytime",
                           "nomand",
                           "norelatime",
                           "nostrictatime",
                           "nosuid",
                           "nosymfollow",
                           "private",
                           "ratime",
                           "rbind",
                           "rdev",
                           "rdiratime",
                           "relatime",
                           "remount",
                           "rexec",
                           "ridmap",
                           "rnoatime",
                           "rnodev",
                           "rnodiratime",
                           "rnoexec",
                           "rnorelatime",
                           "rnostrictatime",
                           "rnosuid",
                           "rnosymfollow",
                           "ro",
                           "rprivate",
                           "rrelatime",
                           "rro",
                           "rrw",
                           "rshared",
                           "rslave",
                           "rstrictatime",
                           "rsuid",
                           "rsymfollow",
                           "runbindable",
                           "rw",
                           "shared",
                           "silent",
                           "slave",
                           "strictatime",
                           "suid",
                           "symfollow",
                           "sync",
                           "tmpcopyup",
                           "unbindable"};
    // Annotations that change what a container may do: org.hull.system-container adds
    // namespaces, capabilities and a writable cgroup tree (README "System containers").
    Names unsafe_annotations = {"org.hull.system-container"};
    Names namespaces = {"cgroup", "ipc", "mount", "network", "pid", "time", "user", "uts"};
    bool cgroup_v1 = true;
    bool cgroup_v2 = true;
    // The systemd cgroup driver (runtime/cgroups/systemd_manager.cpp), on pure v2. Not the
    // user instance: a non-root hull talks to the system bus, not the user's systemd.
    bool cgroup_systemd = true;
    bool cgroup_systemd_user = false;
    bool cgroup_rdma = true;
    bool seccomp = true;
    Names seccomp_actions = {"SCMP_ACT_ALLOW",        "SCMP_ACT_ERRNO",       "SCMP_ACT_KILL",
                             "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_LOG",
                             "SCMP_ACT_NOTIFY",       "SCMP_ACT_TRACE",       "SCMP_ACT_TRAP"};
    Names seccomp_operators = {"SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT",       "SCMP_CMP_LE",
                               "SCMP_CMP_LT", "SCMP_CMP_NE", "SCMP_CMP_MASKED_EQ"};
    // The schema's architectures; only those the linked libseccomp resolves are reported.
    Names seccomp_archs = {"SCMP_ARCH_AARCH64",     "SCMP_ARCH_ARM",    "SCMP_ARCH_LOONGARCH64",
                           "SCMP_ARCH_M68K",        "SCMP_ARCH_MIPS",   "SCMP_ARCH_MIPS64",
                           "SCMP_ARCH_MIPS64N32",   "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64",
                           "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64",
                           "SCMP_ARCH_PPC",         "SCMP_ARCH_PPC64",  "SCMP_ARCH_PPC64LE",
                           "SCMP_ARCH_RISCV64",     "SCMP_ARCH_S390",   "SCMP_ARCH_S390X",
                           "SCMP_ARCH_SH",          "SCMP_ARCH_SHEB",   "SCMP_ARCH_X32",
                           "SCMP_ARCH_X86",         "SCMP_ARCH_X86_64"};
    Names seccomp_known_flags = {"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
                                 "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
                                 "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"};
    // WAIT_KILLABLE_RECV needs libseccomp >= 2.6 (Debian 12 ships 2.5).
    Names seccomp_supported_flags = {"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
                                     "SECCOMP_FILTER_FLAG_SPEC_ALLOW"};
    bool apparmor = true;
    bool selinux = true;
    bool intel_rdt = false;
    bool idmap_mounts = true;
    bool net_devices = true;
    Names memory_policy_modes = {
        "MPOL_DEFAULT",   "MPOL_BIND",           "MPOL_INTERLEAVE", "MPOL_WEIGHTED_INTERLEAVE",
        "MPOL_PREFERRED", "MPOL_PREFERRED_MANY", "MPOL_LOCAL"};
    Names memory_policy_flags = {"MPOL_F_NUMA_BALANCING", "MPOL_F_RELATIVE_NODES",
                                 "MPOL_F_STATIC_NODES"};
};

using Writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

void write_string(Writer& w, std::string_view s) {
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

void write_names(Writer& w, const char* key, const Names& names) {
    w.Key(key);
    w.StartArray();
    for (auto n : names)
        write_string(w, n);
    w.EndArray();
}

void write_bool(Writer& w, const char* key, bool value) {
    w.Key(key);
    w.Bool(value);
}

void write_enabled(Writer& w, const char* key, bool value) {
    w.Key(key);
    w.StartObject();
    write_bool(w, "enabled", value);
    w.EndObject();
}

}  // namespace

std::string features_json() {
    const Support s;
    rapidjson::StringBuffer buf;
    Writer w(buf);
    w.SetIndent(' ', 4);
    w.StartObject();
    w.Key("ociVersionMin");
    write_string(w, s.oci_version_min);
    w.Key("ociVersionMax");
    write_string(w, s.oci_version_max);
    write_names(w, "hooks", s.hooks);
    write_names(w, "mountOptions", s.mount_options);
    write_names(w, "potentiallyUnsafeConfigAnnotations", s.unsafe_annotations);

    w.Key("linux");
    w.StartObject();
    write_names(w, "namespaces", s.namespaces);
    Names caps;
    for (const auto& c : capability_names())
        caps.push_back(c.name);
    write_names(w, "capabilities", caps);

    w.Key("cgroup");
    w.StartObject();
    write_bool(w, "v1", s.cgroup_v1);
    write_bool(w, "v2", s.cgroup_v2);
    write_bool(w, "systemd", s.cgroup_systemd);
    write_bool(w, "systemdUser", s.cgroup_systemd_user);
    write_bool(w, "rdma", s.cgroup_rdma);
    w.EndObject();

    w.Key("seccomp");
    w.StartObject();
    write_bool(w, "enabled", s.seccomp);
    write_names(w, "actions", s.seccomp_actions);
    write_names(w, "operators", s.seccomp_operators);
    Names archs;
    for (auto a : s.seccomp_archs) {
        // libseccomp names architectures in lower case without the prefix ("x86_64").
        std::string name(a.substr(std::string_view("SCMP_ARCH_").size()));
        for (auto& ch : name)
            ch = static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
        if (seccomp_arch_resolve_name(name.c_str()) != 0) archs.push_back(a);
    }
    write_names(w, "archs", archs);
    write_names(w, "knownFlags", s.seccomp_known_flags);
    write_names(w, "supportedFlags", s.seccomp_supported_flags);
    w.EndObject();

    write_enabled(w, "apparmor", s.apparmor);
    write_enabled(w, "selinux", s.selinux);
    w.Key("intelRdt");
    w.StartObject();
    write_bool(w, "enabled", s.intel_rdt);
    write_bool(w, "schemata", s.intel_rdt);
    write_bool(w, "monitoring", s.intel_rdt);
    w.EndObject();
    w.Key("mountExtensions");
    w.StartObject();
    write_enabled(w, "idmap", s.idmap_mounts);
    w.EndObject();
    write_enabled(w, "netDevices", s.net_devices);
    w.Key("memoryPolicy");
    w.StartObject();
    write_names(w, "modes", s.memory_policy_modes);
    write_names(w, "flags", s.memory_policy_flags);
    w.EndObject();
    w.EndObject();  // linux

    w.Key("annotations");
    w.StartObject();
    w.Key("io.github.hull.version");
    write_string(w, HULL_VERSION);
    w.EndObject();
    w.EndObject();
    return std::string(buf.GetString(), buf.GetSize()) + "\n";
}

}  // namespace hull::spec
