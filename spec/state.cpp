#include "spec/state.hpp"

#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <limits>

#include "base/json.hpp"
#include "spec/schema.hpp"

namespace hull::spec {

namespace {

bool pid_required(const std::string& status) {
    return status == "created" || status == "running";
}

std::string string_member(const rapidjson::Value& doc, const char* key) {
    auto it = doc.FindMember(key);
    if (it == doc.MemberEnd() || !it->value.IsString()) return "";
    return std::string(it->value.GetString(), it->value.GetStringLength());
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

State parse_state(std::string_view json, const std::string& source) {
    rapidjson::Document doc;
    std::string why = json::parse_into(doc, json);
    if (!why.empty()) throw ConfigError(source, "", why);
    validate_state_schema(doc, source);
    State state;
    state.oci_version = string_member(doc, "ociVersion");
    state.id = string_member(doc, "id");
    state.status = string_member(doc, "status");
    state.bundle = string_member(doc, "bundle");
    state.rootfs = string_member(doc, "rootfs");
    state.created = string_member(doc, "created");
    state.owner = string_member(doc, "owner");
    auto pid = doc.FindMember("pid");
    if (pid != doc.MemberEnd()) {
        if (!pid->value.IsInt()) {
            throw ConfigError(source, "/pid", "pid out of range (expected 0..2147483647)");
        }
        state.pid = pid->value.GetInt();
    } else if (pid_required(state.status)) {
        throw ConfigError(source, "/pid", "required when status is " + state.status);
    }
    auto ann = doc.FindMember("annotations");
    if (ann != doc.MemberEnd() && ann->value.IsObject()) {
        for (const auto& m : ann->value.GetObject()) {
            if (m.value.IsString()) state.annotations[m.name.GetString()] = m.value.GetString();
        }
    }
    return state;
}

}  // namespace hull::spec
