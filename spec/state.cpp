#include "spec/state.hpp"

#include <rapidjson/prettywriter.h>

namespace hull::spec {

namespace {

bool pid_required(const std::string& status) {
    return status == "created" || status == "running";
}

// One body for both layouts; Writer is rapidjson's compact or pretty writer.
template <typename Writer>
void write_members(Writer& w, const State& s, StateLayout layout) {
    auto field = [&](const char* name, const std::string& value) {
        w.Key(name);
        w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
    };
    // runc writes pid in its own layout even as 0 for a stopped container; in a hook's
    // state only when runtime.md asks for it or there is one.
    auto pid = [&] {
        if (layout == StateLayout::hook && s.pid == 0 && !pid_required(s.status)) return;
        w.Key("pid");
        w.Int(s.pid);
    };
    auto annotations = [&] {
        if (s.annotations.empty()) return;
        w.Key("annotations");
        w.StartObject();
        for (const auto& [key, value] : s.annotations)
            field(key.c_str(), value);
        w.EndObject();
    };
    field("ociVersion", s.oci_version);
    field("id", s.id);
    if (layout == StateLayout::command) {
        pid();
        field("status", s.status);
    } else {
        field("status", s.status);
        pid();
    }
    field("bundle", s.bundle);
    if (layout == StateLayout::command) {
        field("rootfs", s.rootfs);
        field("created", s.created);
        annotations();
        field("owner", s.owner);
    } else {
        annotations();
    }
}

template <typename Writer>
std::string to_json(const State& state, StateLayout layout, Writer& w,
                    rapidjson::StringBuffer& buf) {
    w.StartObject();
    write_members(w, state, layout);
    w.EndObject();
    return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace

std::string state_to_json(const State& state, StateLayout layout) {
    rapidjson::StringBuffer buf;
    if (layout == StateLayout::hook) {
        rapidjson::Writer<rapidjson::StringBuffer> w(buf);
        return to_json(state, layout, w, buf);
    }
    rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buf);
    w.SetIndent(' ', 2);
    return to_json(state, layout, w, buf) + "\n";
}

void write_state_members(rapidjson::Writer<rapidjson::StringBuffer>& w, const State& state,
                         StateLayout layout) {
    write_members(w, state, layout);
}

}  // namespace hull::spec
