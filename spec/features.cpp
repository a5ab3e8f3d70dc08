#include "spec/features.hpp"
#include "spec/hook_phases.hpp"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <algorithm>
#include <string_view>
#include <vector>

#include "spec/capability_names.hpp"
#include "spec/hook_phases.hpp"
#include "spec/memory_policy_names.hpp"
#include "spec/mount_option_table.hpp"
#include "spec/namespace_names.hpp"
#include "spec/seccomp_names.hpp"

namespace hull::spec {

namespace {

using Names = std::vector<std::string_view>;

// What hull claims beyond the name lists, which come from the tables that execute them
// (spec/*_names, spec/mount_option_table); update it as features land.
struct Support {
    std::string_view oci_version_min = "1.0.0";
    std::string_view oci_version_max = "1.3.0";
    // Annotations that change what a container may do: org.hull.system-container adds
    // namespaces, capabilities and a writable cgroup tree (README "System containers").
    Names unsafe_annotations = {"org.hull.system-container"};
    bool cgroup_v1 = true;
    bool cgroup_v2 = true;
    // The systemd cgroup driver (runtime/cgroups/systemd_manager.cpp), on pure v2. Not the
    // user instance: a non-root hull talks to the system bus, not the user's systemd.
    bool cgroup_systemd = true;
    bool cgroup_systemd_user = false;
    bool cgroup_rdma = true;
    bool seccomp = true;
    bool apparmor = true;
    bool selinux = true;
    bool intel_rdt = false;
    bool idmap_mounts = true;
    bool net_devices = true;
};

// The names of a table's rows, in table order.
template <typename Rows>
Names names_of(const Rows& rows) {
    Names out;
    for (const auto& row : rows)
        out.push_back(row.name);
    return out;
}

Names sorted(Names names) {
    std::sort(names.begin(), names.end());
    return names;
}

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
    write_names(w, "hooks", names_of(hook_phases()));
    // What bundle/mount_options applies, from the same table (spec/mount_option_table).
    const auto mount_options = mount_option_names();
    write_names(w, "mountOptions", sorted(Names(mount_options.begin(), mount_options.end())));
    write_names(w, "potentiallyUnsafeConfigAnnotations", s.unsafe_annotations);

    w.Key("linux");
    w.StartObject();
    // What runtime/namespaces creates and joins (spec/namespace_names), in name order.
    Names namespaces;
    for (const auto& k : namespace_kinds())
        namespaces.push_back(k.type);
    write_names(w, "namespaces", sorted(namespaces));
    write_names(w, "capabilities", names_of(capability_names()));

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
    // What security/seccomp executes, from the same tables (spec/seccomp_names).
    write_names(w, "actions", names_of(seccomp_actions()));
    write_names(w, "operators", names_of(seccomp_operators()));
    write_names(w, "archs", sorted(names_of(seccomp_archs())));
    write_names(w, "knownFlags", names_of(seccomp_flags()));
    Names supported;
    for (const auto& f : seccomp_flags()) {
        if (f.attr) supported.push_back(f.name);
    }
    write_names(w, "supportedFlags", supported);
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
    // What security/memory_policy sets (spec/memory_policy_names).
    write_names(w, "modes", names_of(memory_policy_modes()));
    write_names(w, "flags", names_of(memory_policy_flags()));
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
