#include "runtime/namespaces.hpp"

#include <fcntl.h>
#include <sched.h>

#include <algorithm>

#include "base/error.hpp"
#include "base/file.hpp"
#include "base/syscalls.hpp"
#include "spec/namespace_names.hpp"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

namespace hull::runtime {

namespace {

const spec::NamespaceKind& kind_of(const std::string& type) {
    if (const auto* k = spec::find_namespace_kind(type)) return *k;
    throw Error("unknown namespace type \"" + type + "\"");
}

std::string map_text(const std::vector<spec::IdMapping>& maps) {
    std::string text;
    for (const auto& m : maps)
        text += std::to_string(m.container_id) + " " + std::to_string(m.host_id) + " " +
                std::to_string(m.size) + "\n";
    return text;
}

}  // namespace

int namespace_flag(const std::string& type) {
    return kind_of(type).flag;
}
const char* namespace_proc_name(const std::string& type) {
    return kind_of(type).proc_name;
}

NamespacePlan plan_namespaces(const spec::Config& config) {
    NamespacePlan plan;
    if (!config.linux) return plan;
    bool any_join = false, join_user = false, join_pid_or_time = false, new_time = false;
    int new_flags = 0;
    for (const auto& ns : config.linux->namespaces) {
        int flag = namespace_flag(ns.type);
        if (ns.path.empty()) {
            new_flags |= flag;
            if (flag == CLONE_NEWTIME) new_time = true;
        } else {
            any_join = true;
            if (flag == CLONE_NEWUSER) join_user = true;
            if (flag == CLONE_NEWPID || flag == CLONE_NEWTIME) join_pid_or_time = true;
        }
    }
    plan.new_user = (new_flags & CLONE_NEWUSER) != 0;
    plan.late_cgroup = (new_flags & CLONE_NEWCGROUP) != 0;
    new_flags &= ~CLONE_NEWCGROUP;
    // clone3 puts the child in every new namespace at once, owned by the new user namespace;
    // that is only right when nothing must be joined from outside it first.
    bool user_conflict = plan.new_user && any_join;
    if (!user_conflict && !join_user && !join_pid_or_time && !new_time) {
        plan.direct = true;
        plan.clone_flags = static_cast<unsigned>(new_flags);
        for (const auto& ns : config.linux->namespaces)
            if (!ns.path.empty()) plan.joins.push_back({ns.type, ns.path});
        return plan;
    }
    plan.direct = false;
    for (const auto& kind : spec::namespace_kinds())
        for (const auto& ns : config.linux->namespaces)
            if (ns.type == kind.type && !ns.path.empty()) plan.joins.push_back({ns.type, ns.path});
    plan.unshare_user = plan.new_user;
    plan.unshare_flags = new_flags & ~CLONE_NEWUSER;
    plan.second_fork = (new_flags & (CLONE_NEWPID | CLONE_NEWTIME)) != 0 || join_pid_or_time;
    return plan;
}

void write_id_maps(pid_t pid, const std::vector<spec::IdMapping>& uids,
                   const std::vector<spec::IdMapping>& gids) {
    std::string base = "/proc/" + std::to_string(pid) + "/";
    try {
        if (!uids.empty()) write_file(base + "uid_map", map_text(uids));
        if (!gids.empty()) write_file(base + "gid_map", map_text(gids));
    } catch (const Error& e) {
        throw e.with_context(
            "write user namespace id mappings (/linux/uidMappings, /linux/gidMappings)");
    }
}

void join_namespaces(const std::vector<NamespaceJoin>& joins) {
    for (const auto& join : joins) {
        int fd = ::open(join.path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) throw_errno("open " + join.type + " namespace " + join.path);
        unique_fd ns(fd);
        if (sys::setns(ns.get(), namespace_flag(join.type)) < 0)
            throw_errno("join " + join.type + " namespace " + join.path);
    }
}

void write_time_offsets(const std::map<std::string, spec::TimeOffset>& offsets) {
    std::string text;
    for (const auto& [clock, off] : offsets)
        text += clock + " " + std::to_string(off.secs) + " " + std::to_string(off.nanosecs) + "\n";
    if (text.empty()) return;
    try {
        write_file("/proc/self/timens_offsets", text);
    } catch (const Error& e) {
        throw e.with_context("set time namespace offsets (/linux/timeOffsets)");
    }
}

}  // namespace hull::runtime
