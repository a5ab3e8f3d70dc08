#include "runtime/cgroups/layout.hpp"

#include <algorithm>
#include <set>
#include <sstream>

#include "base/error.hpp"
#include "base/file.hpp"
#include "base/mountinfo.hpp"

namespace hull::cgroups {

namespace {

const std::set<std::string>& known_controllers() {
    static const std::set<std::string> names = {
        "cpu",   "cpuacct",    "cpuset",  "memory", "devices", "freezer", "net_cls", "net_prio",
        "blkio", "perf_event", "hugetlb", "pids",   "rdma",    "misc",    "debug",
    };
    return names;
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::string cur;
    std::istringstream in(s);
    while (std::getline(in, cur, sep))
        out.push_back(cur);
    if (!s.empty() && s.back() == sep) out.emplace_back();
    return out;
}

}  // namespace

std::string layout_name(Layout layout) {
    switch (layout) {
        case Layout::v1:
            return "v1";
        case Layout::hybrid:
            return "hybrid";
        case Layout::v2:
            return "v2";
    }
    return "v1";
}

Layout layout_from_name(const std::string& name) {
    if (name == "v1") return Layout::v1;
    if (name == "hybrid") return Layout::hybrid;
    if (name == "v2") return Layout::v2;
    throw Error("unknown cgroup layout \"" + name + "\"");
}

std::vector<Mount> parse_cgroup_mounts(const std::string& mountinfo,
                                       const std::function<bool(const std::string&)>& keep) {
    std::vector<Mount> out;
    std::set<std::string> seen;  // hierarchy identity: v2, or the controller list
    for (const auto& info : parse_mountinfo(mountinfo)) {
        if (info.fstype != "cgroup" && info.fstype != "cgroup2") continue;
        if (keep && !keep(info.mountpoint)) continue;
        Mount m;
        m.root = info.root;
        m.mountpoint = info.mountpoint;
        m.v2 = info.fstype == "cgroup2";
        std::string key = "cgroup2";
        if (!m.v2) {
            for (const auto& opt : split(info.super_options, ',')) {
                if (known_controllers().count(opt) || opt.rfind("name=", 0) == 0) {
                    m.controllers.push_back(opt);
                }
            }
            if (m.controllers.empty()) continue;
            key.clear();
            for (const auto& c : m.controllers)
                key += c + ",";
        }
        if (!seen.insert(key).second) continue;
        out.push_back(std::move(m));
    }
    return out;
}

Layout layout_from_mounts(const std::vector<Mount>& mounts) {
    bool any_v1 = false, any_v2 = false, v2_at_top = false;
    for (const auto& m : mounts) {
        if (m.v2) {
            any_v2 = true;
            if (m.mountpoint == "/sys/fs/cgroup") v2_at_top = true;
        } else {
            // A named hierarchy alone (name=systemd) controls nothing.
            for (const auto& c : m.controllers) {
                if (c.rfind("name=", 0) != 0) any_v1 = true;
            }
        }
    }
    if (v2_at_top && !any_v1) return Layout::v2;
    if (any_v1) return any_v2 ? Layout::hybrid : Layout::v1;
    if (any_v2) return Layout::v2;
    throw Error("no cgroup filesystem is mounted (see /proc/self/mountinfo)");
}

Layout detect_layout_from(const std::string& mountinfo) {
    return layout_from_mounts(parse_cgroup_mounts(mountinfo));
}

Layout detect_layout() {
    return detect_layout_from(read_file("/proc/self/mountinfo"));
}

std::vector<Membership> parse_proc_cgroup(const std::string& text) {
    std::vector<Membership> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        auto c1 = line.find(':');
        auto c2 = c1 == std::string::npos ? c1 : line.find(':', c1 + 1);
        if (c2 == std::string::npos)
            throw Error("malformed /proc/self/cgroup line \"" + line + "\"");
        Membership m;
        try {
            m.hierarchy_id = std::stoi(line.substr(0, c1));
        } catch (const std::exception&) {
            throw Error("malformed /proc/self/cgroup line \"" + line + "\"");
        }
        std::string ctrls = line.substr(c1 + 1, c2 - c1 - 1);
        if (!ctrls.empty()) m.controllers = split(ctrls, ',');
        m.path = line.substr(c2 + 1);
        out.push_back(std::move(m));
    }
    return out;
}

std::string own_cgroup_path(const std::vector<Membership>& memberships, const Mount& mount) {
    for (const auto& m : memberships) {
        if (mount.v2) {
            if (m.hierarchy_id == 0 && m.controllers.empty()) return m.path;
            continue;
        }
        for (const auto& c : m.controllers) {
            if (std::find(mount.controllers.begin(), mount.controllers.end(), c) !=
                mount.controllers.end()) {
                return m.path;
            }
        }
    }
    std::string what = mount.v2 ? "the cgroup2 hierarchy" : mount.controllers.front();
    throw Error("/proc/self/cgroup has no entry for " + what);
}

}  // namespace hull::cgroups
