#include "spec/state.hpp"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

namespace hull::spec {

namespace {

bool pid_required(const std::string& status) {
    return status == "created" || status == "running";
}

}  // namespace

std::string state_to_json(const State& state) {
    rapidjson::StringBuffer buf;
    rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buf);
    w.SetIndent(' ', 2);
    auto field = [&](const char* name, const std::string& value) {
        w.Key(name);
        w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
    };
    w.StartObject();
    field("ociVersion", state.oci_version);
    field("id", state.id);
    if (state.pid != 0 || pid_required(state.status)) {
        w.Key("pid");
        w.Int(state.pid);
    }
    field("status", state.status);
    field("bundle", state.bundle);
    field("rootfs", state.rootfs);
    field("created", state.created);
    field("owner", state.owner);
    if (!state.annotations.empty()) {
        w.Key("annotations");
        w.StartObject();
        for (const auto& [k, v] : state.annotations)
            field(k.c_str(), v);
        w.EndObject();
    }
    w.EndObject();
    return std::string(buf.GetString(), buf.GetSize()) + "\n";
}

}  // namespace hull::spec
