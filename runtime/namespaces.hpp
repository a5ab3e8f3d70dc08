// How a container's namespaces are made: which are created by clone3 itself, which are
// joined by path, and whether init needs a second fork (pid and time namespaces only
// take effect for children of the process that enters them).
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

#include "base/unique_fd.hpp"
#include "spec/config.hpp"

namespace hull::runtime {

// CLONE_NEW* for a spec namespace type ("mount" -> CLONE_NEWNS); Error if unknown.
int namespace_flag(const std::string& type);
// The /proc/<pid>/ns/<name> entry for a spec namespace type ("network" -> "net").
const char* namespace_proc_name(const std::string& type);

struct NamespaceJoin {
    std::string type;
    std::string path;
};

struct NamespacePlan {
    // Fast path: every namespace is created by clone3 and init is the clone itself.
    bool direct = true;
    unsigned long long clone_flags = 0;  // CLONE_NEW* passed to clone3
    // Slow path (a namespace joined by path together with a new user namespace, or a time
    // namespace, or a pid/time namespace joined by path): the clone joins, unshares, and forks.
    std::vector<NamespaceJoin> joins;  // user first, then the rest
    bool unshare_user = false;
    int unshare_flags = 0;  // after the user namespace
    bool second_fork = false;
    bool new_user = false;  // a new user namespace needs uid/gid maps
    // A new cgroup namespace is made by init itself once it is in its cgroup: its root is
    // the cgroup init is in at that moment (on v1 that is only after the parent moved it).
    bool late_cgroup = false;
};

NamespacePlan plan_namespaces(const spec::Config& config);

// Writes /proc/<pid>/{uid_map,gid_map}. Maps are written by the parent, which holds
// CAP_SETUID/CAP_SETGID in the parent namespace.
void write_id_maps(pid_t pid, const std::vector<spec::IdMapping>& uids,
                   const std::vector<spec::IdMapping>& gids);

// Joins every namespace in joins (setns by path), in order.
void join_namespaces(const std::vector<NamespaceJoin>& joins);

// Writes /proc/self/timens_offsets; must happen after unshare(CLONE_NEWTIME) and before
// the first process enters the new time namespace.
void write_time_offsets(const std::map<std::string, spec::TimeOffset>& offsets);

}  // namespace hull::runtime
