#include "runtime/cgroups/paths.hpp"

#include <algorithm>
#include <sstream>
#include <string_view>
#include <vector>

#include "base/error.hpp"

namespace hull::cgroups {

std::string default_cgroup_path(const std::string& container_id) {
    return "/hull/" + container_id;
}

bool is_systemd_form(const std::string& cgroups_path) {
    if (cgroups_path.empty() || cgroups_path.front() == '/') return false;
    return std::count(cgroups_path.begin(), cgroups_path.end(), ':') == 2;
}

std::string normalize_cgroup_path(const std::string& path) {
    for (char c : path) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
            throw Error("cgroupsPath \"" + path + "\": contains a control character");
        }
    }
    std::vector<std::string> parts;
    std::istringstream in(path);
    std::string part;
    while (std::getline(in, part, '/')) {
        if (part.empty() || part == ".") continue;
        if (part == "..") throw Error("cgroupsPath \"" + path + "\": must not contain \"..\"");
        parts.push_back(part);
    }
    std::string out = !path.empty() && path.front() == '/' ? "/" : "";
    for (size_t i = 0; i < parts.size(); ++i) {
        if (i) out += "/";
        out += parts[i];
    }
    return out;
}

namespace {

// "a/b/c": no empty, "." or ".." component, no control character.
bool clean_components(std::string_view path) {
    for (char c : path)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
    for (;;) {
        auto slash = path.find('/');
        std::string_view part = path.substr(0, slash);
        if (part.empty() || part == "." || part == "..") return false;
        if (slash == std::string_view::npos) return true;
        path.remove_prefix(slash + 1);
    }
}

}  // namespace

bool lexically_below(const std::string& path, const std::string& dir) {
    if (dir.empty() || dir.front() != '/') return false;
    if (dir != "/" && !clean_components(std::string_view(dir).substr(1))) return false;
    std::string prefix = dir == "/" ? dir : dir + "/";
    if (path.size() <= prefix.size() || path.compare(0, prefix.size(), prefix) != 0) return false;
    return clean_components(std::string_view(path).substr(prefix.size()));
}

std::string path_in_mount(const Mount& mount, const std::string& cgroups_path,
                          const std::string& own_path) {
    std::string norm = normalize_cgroup_path(cgroups_path);
    if (norm.empty() || norm == "/") {
        throw Error("cgroupsPath \"" + cgroups_path + "\": must name a cgroup below the root");
    }
    if (norm.front() == '/') return norm;
    std::string base = normalize_cgroup_path(own_path.empty() ? "/" : own_path);
    std::string root = normalize_cgroup_path(mount.root.empty() ? "/" : mount.root);
    if (root != "/" && (base == root || base.rfind(root + "/", 0) == 0)) {
        base = base.substr(root.size());
        if (base.empty()) base = "/";
    }
    if (base.empty() || base.front() != '/') base = "/" + base;
    return base == "/" ? "/" + norm : base + "/" + norm;
}

std::string hierarchy_dir(const Mount& mount, const std::string& cgroups_path,
                          const std::string& own_path) {
    std::string mp = mount.mountpoint;
    while (mp.size() > 1 && mp.back() == '/')
        mp.pop_back();
    return mp + path_in_mount(mount, cgroups_path, own_path);
}

}  // namespace hull::cgroups
