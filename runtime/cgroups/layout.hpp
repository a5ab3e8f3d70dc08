// Which cgroup hierarchies the host has mounted, read from /proc/self/mountinfo and
// /proc/self/cgroup. The parsers take file text so tests can feed them samples.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace hull::cgroups {

enum class Layout { v1, hybrid, v2 };

std::string layout_name(Layout layout);
Layout layout_from_name(const std::string& name);  // throws Error on an unknown name

// One mounted cgroup hierarchy.
struct Mount {
    std::string mountpoint;                // e.g. /sys/fs/cgroup/memory (octal escapes decoded)
    std::string root;                      // the cgroup this mount shows as its top, usually "/"
    bool v2 = false;                       // cgroup2
    std::vector<std::string> controllers;  // v1 only: {"cpu","cpuacct"}, {"name=systemd"}
};

// Every cgroup/cgroup2 mount in mountinfo text whose mountpoint keep accepts (all, without
// one); the same hierarchy mounted twice is kept once (the first mount wins). A v1 mount lists
// the known controllers and name= options of its super options, nothing else.
std::vector<Mount> parse_cgroup_mounts(
    const std::string& mountinfo,
    const std::function<bool(const std::string& mountpoint)>& keep = nullptr);

// v2 at /sys/fs/cgroup -> v2; v1 controllers plus any cgroup2 mount -> hybrid; only v1 -> v1.
// Throws Error when there is no cgroup mount at all.
Layout layout_from_mounts(const std::vector<Mount>& mounts);
Layout detect_layout_from(const std::string& mountinfo);
Layout detect_layout();

// One line of /proc/<pid>/cgroup.
struct Membership {
    int hierarchy_id = 0;
    std::vector<std::string> controllers;  // empty for the v2 line ("0::/path")
    std::string path;
};
std::vector<Membership> parse_proc_cgroup(const std::string& text);

// The path of our cgroup in the hierarchy that carries these controllers (v2: empty
// controllers). Throws Error when /proc/self/cgroup has no such line.
std::string own_cgroup_path(const std::vector<Membership>& memberships, const Mount& mount);

}  // namespace hull::cgroups
