#include "runtime/container_record.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <unistd.h>

#include "base/error.hpp"
#include "base/file.hpp"
#include "base/json.hpp"
#include "runtime/container_dir.hpp"
#include "runtime/state_json.hpp"

namespace hull::runtime {

namespace {

constexpr const char* kRecordFile = "state.json";

std::string get_string(const rapidjson::Value& obj, const char* name) {
    auto it = obj.FindMember(name);
    return it != obj.MemberEnd() && it->value.IsString() ? it->value.GetString() : "";
}

int get_int(const rapidjson::Value& obj, const char* name) {
    auto it = obj.FindMember(name);
    return it != obj.MemberEnd() && it->value.IsInt() ? it->value.GetInt() : 0;
}

std::uint64_t get_u64(const rapidjson::Value& obj, const char* name) {
    auto it = obj.FindMember(name);
    return it != obj.MemberEnd() && it->value.IsUint64() ? it->value.GetUint64() : 0;
}

SystemRecord read_system_members(const rapidjson::Value& s) {
    SystemRecord r;
    r.monitor_pid = get_int(s, "monitorPid");
    r.monitor_start_time = get_u64(s, "monitorStartTime");
    r.halt_signal = get_int(s, "haltSignal");
    r.uuid = get_string(s, "uuid");
    r.boots = get_int(s, "boots");
    return r;
}

}  // namespace

std::string record_to_json(const ContainerRecord& r) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    w.StartObject();
    // The state hull last wrote (with the pid kept after the container stopped), then what
    // only hull reads back.
    spec::State state = oci_state(r, r.status);
    state.pid = r.pid;
    spec::write_state_members(w, state, spec::StateLayout::hook);
    w.Key("rootfs");
    w.String(r.rootfs);
    w.Key("created");
    w.String(r.created);
    w.Key("owner");
    w.String(r.owner);
    w.Key("hull");
    w.StartObject();
    w.Key("initStartTime");
    w.Uint64(r.start_time);
    w.Key("cgroup");
    w.String(r.cgroup);
    if (r.shared_mount_ns) {
        w.Key("sharedMountNamespace");
        w.StartObject();
        w.Key("rootfsMountsBefore");
        w.StartArray();
        for (int id : r.rootfs_mounts_before)
            w.Int(id);
        w.EndArray();
        w.EndObject();
    }
    w.Key("systemContainer");
    w.Bool(r.system.has_value());
    if (const SystemRecord* system = r.system ? &*r.system : nullptr) {
        w.Key("system");
        w.StartObject();
        w.Key("monitorPid");
        w.Int(system->monitor_pid);
        w.Key("monitorStartTime");
        w.Uint64(system->monitor_start_time);
        w.Key("haltSignal");
        w.Int(system->halt_signal);
        w.Key("uuid");
        w.String(system->uuid);
        w.Key("boots");
        w.Int(system->boots);
        w.EndObject();
    }
    w.EndObject();
    w.EndObject();
    return buf.GetString();
}

ContainerRecord record_from_json(const std::string& json) {
    rapidjson::Document doc;
    std::string why = json::parse_into(doc, json);
    if (!why.empty()) throw Error("corrupt container state file: " + why);
    if (!doc.IsObject()) throw Error("corrupt container state file: not a JSON object");
    ContainerRecord r;
    r.oci_version = get_string(doc, "ociVersion");
    r.id = get_string(doc, "id");
    try {
        r.status = parse_status(get_string(doc, "status"));
    } catch (const Error& e) {
        throw Error(std::string("corrupt container state file: ") + e.what());
    }
    // pid 0 means "no init" everywhere; a pid below 1 (kill(0) and kill(-1) signal groups,
    // /proc/0 does not exist) can only come from a damaged file and means the same.
    if (doc.HasMember("pid") && doc["pid"].IsInt() && doc["pid"].GetInt() > 0)
        r.pid = doc["pid"].GetInt();
    r.bundle = get_string(doc, "bundle");
    r.rootfs = get_string(doc, "rootfs");
    r.created = get_string(doc, "created");
    r.owner = get_string(doc, "owner");
    if (doc.HasMember("annotations") && doc["annotations"].IsObject())
        for (const auto& m : doc["annotations"].GetObject())
            if (m.value.IsString()) r.annotations[m.name.GetString()] = m.value.GetString();
    if (doc.HasMember("hull") && doc["hull"].IsObject()) {
        const auto& h = doc["hull"];
        r.start_time = get_u64(h, "initStartTime");
        r.cgroup = get_string(h, "cgroup");
        auto shared = h.FindMember("sharedMountNamespace");
        if (shared != h.MemberEnd() && shared->value.IsObject()) {
            r.shared_mount_ns = true;
            auto before = shared->value.FindMember("rootfsMountsBefore");
            if (before != shared->value.MemberEnd() && before->value.IsArray())
                for (const auto& id : before->value.GetArray())
                    if (id.IsInt()) r.rootfs_mounts_before.push_back(id.GetInt());
        }
        if (h.HasMember("systemContainer") && h["systemContainer"].IsBool() &&
            h["systemContainer"].GetBool())
            r.system = h.HasMember("system") && h["system"].IsObject()
                           ? read_system_members(h["system"])
                           : SystemRecord{};
    }
    return r;
}

void save_record(const ContainerDir& dir, const ContainerRecord& record) {
    write_file_atomic(dir.file(kRecordFile), record_to_json(record), 0600);
}

bool has_record(const ContainerDir& dir) {
    return ::access(dir.file(kRecordFile).c_str(), F_OK) == 0;
}

ContainerRecord load_record(const ContainerDir& dir) {
    if (!has_record(dir)) throw Error("container does not exist: " + dir.id());
    return record_from_json(read_file(dir.file(kRecordFile)));
}

}  // namespace hull::runtime
