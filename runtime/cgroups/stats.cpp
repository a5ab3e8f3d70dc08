#include "runtime/cgroups/stats.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <sstream>

namespace hull::cgroups {

namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

void write_entry(JsonWriter& w, const char* name, const MemoryEntry& e) {
    w.Key(name);
    w.StartObject();
    w.Key("limit");
    w.Uint64(e.limit);
    w.Key("usage");
    w.Uint64(e.usage);
    w.Key("max");
    w.Uint64(e.max_usage);
    w.Key("failcnt");
    w.Uint64(e.failcnt);
    w.EndObject();
}

void write_blkio(JsonWriter& w, const char* name, const std::vector<BlkioEntry>& entries) {
    w.Key(name);
    w.StartArray();
    for (const auto& e : entries) {
        w.StartObject();
        w.Key("major");
        w.Uint64(e.major);
        w.Key("minor");
        w.Uint64(e.minor);
        w.Key("op");
        w.String(e.op);
        w.Key("value");
        w.Uint64(e.value);
        w.EndObject();
    }
    w.EndArray();
}

bool parse_u64(const std::string& s, std::uint64_t& out) {
    if (s == "max") {
        out = 0;
        return true;
    }
    try {
        size_t pos = 0;
        out = std::stoull(s, &pos);
        return pos == s.size();
    } catch (const std::exception&) {
        return false;
    }
}

bool parse_dev(const std::string& dev, std::uint64_t& major, std::uint64_t& minor) {
    auto colon = dev.find(':');
    if (colon == std::string::npos) return false;
    return parse_u64(dev.substr(0, colon), major) && parse_u64(dev.substr(colon + 1), minor);
}

}  // namespace

std::string stats_to_json(const Stats& s) {
    rapidjson::StringBuffer buf;
    JsonWriter w(buf);
    w.StartObject();
    w.Key("cpu");
    w.StartObject();
    w.Key("usage");
    w.StartObject();
    w.Key("total");
    w.Uint64(s.cpu.usage_total);
    w.Key("percpu");
    w.StartArray();
    for (auto v : s.cpu.usage_percpu)
        w.Uint64(v);
    w.EndArray();
    w.Key("kernel");
    w.Uint64(s.cpu.usage_kernel);
    w.Key("user");
    w.Uint64(s.cpu.usage_user);
    w.EndObject();
    w.Key("throttling");
    w.StartObject();
    w.Key("periods");
    w.Uint64(s.cpu.throttling_periods);
    w.Key("throttledPeriods");
    w.Uint64(s.cpu.throttled_periods);
    w.Key("throttledTime");
    w.Uint64(s.cpu.throttled_time);
    w.EndObject();
    w.EndObject();

    w.Key("memory");
    w.StartObject();
    w.Key("cache");
    w.Uint64(s.memory.cache);
    write_entry(w, "usage", s.memory.usage);
    write_entry(w, "swap", s.memory.swap);
    write_entry(w, "kernel", s.memory.kernel);
    write_entry(w, "kernelTCP", s.memory.kernel_tcp);
    w.Key("raw");
    w.StartObject();
    for (const auto& [k, v] : s.memory.raw) {
        w.Key(k.c_str());
        w.Uint64(v);
    }
    w.EndObject();
    w.EndObject();

    w.Key("pids");
    w.StartObject();
    w.Key("current");
    w.Uint64(s.pids.current);
    w.Key("limit");
    w.Uint64(s.pids.limit);
    w.EndObject();

    w.Key("blkio");
    w.StartObject();
    write_blkio(w, "ioServiceBytesRecursive", s.blkio.io_service_bytes_recursive);
    write_blkio(w, "ioServicedRecursive", s.blkio.io_serviced_recursive);
    w.EndObject();

    w.Key("hugetlb");
    w.StartObject();
    for (const auto& [size, h] : s.hugetlb) {
        w.Key(size.c_str());
        w.StartObject();
        w.Key("usage");
        w.Uint64(h.usage);
        w.Key("max");
        w.Uint64(h.max_usage);
        w.Key("failcnt");
        w.Uint64(h.failcnt);
        w.EndObject();
    }
    w.EndObject();
    w.EndObject();
    return buf.GetString();
}

std::map<std::string, std::uint64_t> parse_flat_keyed(const std::string& text) {
    std::map<std::string, std::uint64_t> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream ls(line);
        std::string key, value;
        std::uint64_t v = 0;
        if (ls >> key >> value && parse_u64(value, v)) out[key] = v;
    }
    return out;
}

std::vector<BlkioEntry> parse_blkio_v1(const std::string& text) {
    std::vector<BlkioEntry> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream ls(line);
        std::string dev, op, value;
        BlkioEntry e;
        if (!(ls >> dev >> op >> value)) continue;
        if (!parse_dev(dev, e.major, e.minor) || !parse_u64(value, e.value)) continue;
        e.op = op;
        out.push_back(e);
    }
    return out;
}

void parse_io_stat_v2(const std::string& text, BlkioStats& out) {
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream ls(line);
        std::string dev, kv;
        std::uint64_t major = 0, minor = 0;
        if (!(ls >> dev) || !parse_dev(dev, major, minor)) continue;
        while (ls >> kv) {
            auto eq = kv.find('=');
            std::uint64_t v = 0;
            if (eq == std::string::npos || !parse_u64(kv.substr(eq + 1), v)) continue;
            std::string k = kv.substr(0, eq);
            if (k == "rbytes") out.io_service_bytes_recursive.push_back({major, minor, "Read", v});
            if (k == "wbytes") out.io_service_bytes_recursive.push_back({major, minor, "Write", v});
            if (k == "rios") out.io_serviced_recursive.push_back({major, minor, "Read", v});
            if (k == "wios") out.io_serviced_recursive.push_back({major, minor, "Write", v});
        }
    }
}

}  // namespace hull::cgroups
