#include "runtime/state_json.hpp"

namespace hull::runtime {

void write_state_members(JsonWriter& w, const ContainerRecord& r, Status status, bool always_pid) {
    w.Key("ociVersion");
    w.String(r.oci_version);
    w.Key("id");
    w.String(r.id);
    w.Key("status");
    std::string_view name = status_name(status);
    w.String(name.data(), static_cast<rapidjson::SizeType>(name.size()));
    if (r.pid > 0 && (always_pid || status != Status::stopped)) {
        w.Key("pid");
        w.Int(r.pid);
    }
    w.Key("bundle");
    w.String(r.bundle);
    if (!r.annotations.empty()) {
        w.Key("annotations");
        w.StartObject();
        for (const auto& [k, v] : r.annotations) {
            w.Key(k.c_str());
            w.String(v);
        }
        w.EndObject();
    }
}

std::string hook_state_json(const ContainerRecord& r, Status status) {
    rapidjson::StringBuffer buf;
    JsonWriter w(buf);
    w.StartObject();
    write_state_members(w, r, status);
    w.EndObject();
    return buf.GetString();
}

}  // namespace hull::runtime
