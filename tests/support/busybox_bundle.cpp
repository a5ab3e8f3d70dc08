#include "busybox_bundle.hpp"

#include <rapidjson/pointer.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "bundle/template.hpp"
#include "command.hpp"

namespace hull::test {

namespace {

void write_text(const std::string& path, const std::string& text) {
    std::ofstream f(path);
    f << text;
    if (!f) throw std::runtime_error("cannot write " + path);
}

std::string escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out;
}

}  // namespace

std::string json_array(const std::vector<std::string>& items) {
    std::string out = "[";
    for (size_t i = 0; i < items.size(); ++i)
        out += (i ? ",\"" : "\"") + escape(items[i]) + "\"";
    return out + "]";
}

void make_busybox_rootfs(const std::string& rootfs) {
    bundle::make_busybox_rootfs(rootfs, bundle::find_static_busybox());
}

BusyboxBundle::BusyboxBundle(const std::string& dir, const std::vector<std::string>& args)
    : dir_(dir) {
    make_busybox_rootfs(rootfs());
    auto spec = run_command({hull_binary(), "spec", "--bundle", dir_});
    if (spec.status != 0) throw std::runtime_error("hull spec failed: " + spec.err);
    std::ifstream f(dir_ + "/config.json");
    std::stringstream text;
    text << f.rdbuf();
    config_.Parse(text.str().c_str());
    if (config_.HasParseError()) throw std::runtime_error("hull spec wrote invalid JSON");
    rapidjson::Pointer("/process/terminal").Set(config_, false);
    set_args(args);
}

void BusyboxBundle::set(const std::string& pointer, const std::string& json) {
    rapidjson::Document value(&config_.GetAllocator());
    value.Parse(json.c_str());
    if (value.HasParseError()) throw std::runtime_error("bad JSON for " + pointer + ": " + json);
    rapidjson::Pointer(pointer.c_str()).Set(config_, value);
    write_config();
}

void BusyboxBundle::erase(const std::string& pointer) {
    rapidjson::Pointer(pointer.c_str()).Erase(config_);
    write_config();
}

void BusyboxBundle::set_args(const std::vector<std::string>& args) {
    set("/process/args", json_array(args));
}

void BusyboxBundle::add_user_namespace(unsigned host_id) {
    set("/linux/namespaces/-", R"({"type":"user"})");
    std::string map =
        R"([{"containerID":0,"hostID":)" + std::to_string(host_id) + R"(,"size":65536}])";
    set("/linux/uidMappings", map);
    set("/linux/gidMappings", map);
}

void BusyboxBundle::write_config() const {
    rapidjson::StringBuffer buf;
    rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buf);
    config_.Accept(w);
    write_text(dir_ + "/config.json", buf.GetString());
}

}  // namespace hull::test
