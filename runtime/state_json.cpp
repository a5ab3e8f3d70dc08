#include "runtime/state_json.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace hull::runtime {

std::string hook_state_json(const ContainerRecord& r, const std::string& status) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    w.StartObject();
    w.Key("ociVersion");
    w.String(r.oci_version);
    w.Key("id");
    w.String(r.id);
    w.Key("status");
    w.String(status);
    if (r.pid > 0 && status != "stopped") {
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
    w.EndObject();
    return buf.GetString();
}

}  // namespace hull::runtime
