#include "runtime/cgroups/manager.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "base/error.hpp"
#include "base/file.hpp"
#include "base/json.hpp"
#include "runtime/cgroups/fs_manager.hpp"
#include "runtime/cgroups/paths.hpp"
#include "runtime/cgroups/systemd_manager.hpp"
#include "runtime/cgroups/v1_manager.hpp"
#include "runtime/cgroups/v2_manager.hpp"

namespace hull::cgroups {

std::unique_ptr<Manager> open_manager(const std::string& cgroups_path,
                                      const std::string& container_id, bool systemd_requested,
                                      Logger& log) {
    if (systemd_requested || is_systemd_form(cgroups_path))
        return open_systemd_manager(cgroups_path, container_id, log);
    std::string path = cgroups_path.empty() ? default_cgroup_path(container_id) : cgroups_path;
    path = normalize_cgroup_path(path);

    auto mounts = parse_cgroup_mounts(read_file("/proc/self/mountinfo"));
    Layout layout = layout_from_mounts(mounts);
    std::vector<Membership> memberships;
    bool relative = path.empty() || path.front() != '/';
    if (relative) memberships = parse_proc_cgroup(read_file("/proc/self/cgroup"));

    std::vector<Hierarchy> hierarchies;
    for (const auto& m : mounts) {
        if (layout == Layout::v2 && !m.v2) continue;
        Hierarchy h;
        h.mountpoint = m.mountpoint;
        while (h.mountpoint.size() > 1 && h.mountpoint.back() == '/')
            h.mountpoint.pop_back();
        h.v2 = m.v2;
        h.controllers = m.controllers;
        h.dir = hierarchy_dir(m, path, relative ? own_cgroup_path(memberships, m) : "");
        hierarchies.push_back(std::move(h));
    }
    if (hierarchies.empty()) throw Error("no usable cgroup hierarchy is mounted");
    log.debug("cgroups: " + layout_name(layout) + " layout, cgroupsPath " + path);
    return make_manager(layout, path, std::move(hierarchies), log);
}

std::string manager_to_json(const Manager& manager) {
    std::string systemd = systemd_manager_to_json(manager);
    if (!systemd.empty()) return systemd;
    const auto* fs = dynamic_cast<const FsManager*>(&manager);
    if (!fs) throw Error("manager_to_json: not a hull cgroup manager");
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    w.StartObject();
    w.Key("layout");
    w.String(layout_name(fs->layout()));
    w.Key("cgroupsPath");
    w.String(fs->cgroup_path());
    w.Key("hierarchies");
    w.StartArray();
    for (const auto& h : fs->hierarchies()) {
        w.StartObject();
        w.Key("mountpoint");
        w.String(h.mountpoint);
        w.Key("v2");
        w.Bool(h.v2);
        w.Key("controllers");
        w.StartArray();
        for (const auto& c : h.controllers)
            w.String(c);
        w.EndArray();
        w.Key("dir");
        w.String(h.dir);
        w.Key("created");
        w.StartArray();
        for (const auto& c : h.created)
            w.String(c);
        w.EndArray();
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    return buf.GetString();
}

namespace {

const rapidjson::Value& member(const rapidjson::Value& obj, const char* name) {
    auto it = obj.FindMember(name);
    if (it == obj.MemberEnd()) throw Error(std::string("cgroup state: missing \"") + name + "\"");
    return it->value;
}

std::string string_member(const rapidjson::Value& obj, const char* name) {
    const auto& v = member(obj, name);
    if (!v.IsString()) throw Error(std::string("cgroup state: \"") + name + "\" is not a string");
    return v.GetString();
}

std::vector<std::string> strings_member(const rapidjson::Value& obj, const char* name) {
    const auto& v = member(obj, name);
    if (!v.IsArray()) throw Error(std::string("cgroup state: \"") + name + "\" is not an array");
    std::vector<std::string> out;
    for (const auto& s : v.GetArray()) {
        if (!s.IsString())
            throw Error(std::string("cgroup state: \"") + name + "\" has a non-string");
        out.push_back(s.GetString());
    }
    return out;
}

}  // namespace

std::unique_ptr<Manager> manager_from_json(const std::string& json, Logger& log) {
    rapidjson::Document doc;
    std::string why = json::parse_into(doc, json);
    if (!why.empty()) throw Error("cgroup state: " + why);
    if (!doc.IsObject()) throw Error("cgroup state: not a JSON object");
    if (auto d = doc.FindMember("driver"); d != doc.MemberEnd()) {
        if (!d->value.IsString() || std::string(d->value.GetString()) != "systemd")
            throw Error("cgroup state: unknown \"driver\"");
        return systemd_manager_from_json(json, log);
    }
    Layout layout = layout_from_name(string_member(doc, "layout"));
    std::string path = string_member(doc, "cgroupsPath");
    const auto& arr = member(doc, "hierarchies");
    if (!arr.IsArray() || arr.Empty()) throw Error("cgroup state: no hierarchies");
    std::vector<Hierarchy> hierarchies;
    for (const auto& v : arr.GetArray()) {
        if (!v.IsObject()) throw Error("cgroup state: hierarchy is not an object");
        Hierarchy h;
        h.mountpoint = string_member(v, "mountpoint");
        const auto& v2 = member(v, "v2");
        if (!v2.IsBool()) throw Error("cgroup state: \"v2\" is not a boolean");
        h.v2 = v2.GetBool();
        h.controllers = strings_member(v, "controllers");
        h.dir = string_member(v, "dir");
        h.created = strings_member(v, "created");
        // destroy() removes dir recursively and every created parent: all must be the
        // container's cgroup or its parents inside this very mount, lexically.
        if (!lexically_below(h.dir, h.mountpoint)) {
            throw Error("cgroup state: \"" + h.dir + "\" is not below \"" + h.mountpoint + "\"");
        }
        for (const auto& c : h.created) {
            if (!lexically_below(c, h.mountpoint) ||
                (c != h.dir && h.dir.compare(0, c.size() + 1, c + "/") != 0)) {
                throw Error("cgroup state: created \"" + c + "\" is not \"" + h.dir +
                            "\" or one of its parents below \"" + h.mountpoint + "\"");
            }
        }
        hierarchies.push_back(std::move(h));
    }
    return make_manager(layout, path, std::move(hierarchies), log);
}

}  // namespace hull::cgroups

namespace hull::cgroups {

std::unique_ptr<Manager> make_manager(Layout layout, std::string cgroup_path,
                                      std::vector<Hierarchy> hierarchies, Logger& log) {
    if (layout == Layout::v2) {
        return std::make_unique<V2Manager>(layout, std::move(cgroup_path), std::move(hierarchies),
                                           log);
    }
    return std::make_unique<V1Manager>(layout, std::move(cgroup_path), std::move(hierarchies), log);
}

}  // namespace hull::cgroups
