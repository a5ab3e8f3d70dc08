#include "support/state_reader.hpp"

#include <rapidjson/document.h>

#include "base/json.hpp"
#include "spec/config_error.hpp"
#include "spec/schema.hpp"

namespace hull::test {

namespace {

using spec::ConfigError;

bool pid_required(const std::string& status) {
    return status == "created" || status == "running";
}

std::string string_member(const rapidjson::Value& doc, const char* key) {
    auto it = doc.FindMember(key);
    if (it == doc.MemberEnd() || !it->value.IsString()) return "";
    return std::string(it->value.GetString(), it->value.GetStringLength());
}

}  // namespace

spec::State parse_state(std::string_view json, const std::string& source) {
    rapidjson::Document doc;
    std::string why = json::parse_into(doc, json);
    if (!why.empty()) throw ConfigError(source, "", why);
    spec::validate_state_schema(doc, source);
    spec::State state;
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

}  // namespace hull::test
