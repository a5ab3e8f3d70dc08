#include "runtime/cgroups/unified.hpp"

#include <algorithm>
#include <sstream>

#include "base/error.hpp"
#include "runtime/cgroups/convert.hpp"

namespace hull::cgroups {

std::vector<std::string> available_controllers(const std::string& dir) {
    std::vector<std::string> out;
    if (!file_exists(dir + "/cgroup.controllers")) return out;
    std::istringstream in(read_control(dir + "/cgroup.controllers"));
    std::string c;
    while (in >> c)
        out.push_back(c);
    return out;
}

void enable_controller(const Hierarchy& h, const std::string& controller,
                       const std::string& field) {
    std::vector<std::string> levels = {h.mountpoint};
    std::istringstream rest(h.dir.substr(h.mountpoint.size()));
    std::string part;
    while (std::getline(rest, part, '/')) {
        if (!part.empty()) levels.push_back(levels.back() + "/" + part);
    }
    // Every level but the cgroup itself delegates the controller to its children.
    for (size_t i = 0; i + 1 < levels.size(); ++i) {
        auto avail = available_controllers(levels[i]);
        if (std::find(avail.begin(), avail.end(), controller) == avail.end()) {
            throw Error(field + ": cgroup v2 controller \"" + controller +
                        "\" is not available in " + levels[i] + " (cgroup.controllers)");
        }
        std::string subtree = read_control(levels[i] + "/cgroup.subtree_control");
        std::istringstream in(subtree);
        std::string c;
        bool on = false;
        while (in >> c)
            on = on || c == controller;
        if (!on) write_control(levels[i] + "/cgroup.subtree_control", "+" + controller, field);
    }
}

void write_unified(const Hierarchy& h, const std::map<std::string, std::string>& unified) {
    for (const auto& [key, value] : unified)
        validate_unified_key(key);
    for (const auto& [key, value] : unified) {
        const std::string field = "/linux/resources/unified/" + key;
        const std::string path = h.file(key);
        const std::string controller = unified_key_controller(key);
        if (!file_exists(path) && controller != "cgroup") enable_controller(h, controller, field);
        if (!file_exists(path)) {
            throw Error(field + ": " + path + " does not exist (unknown file or controller)");
        }
        write_control(path, value, field);
    }
}

}  // namespace hull::cgroups
