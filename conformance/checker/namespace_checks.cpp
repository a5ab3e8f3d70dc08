#include <algorithm>

#include <sys/stat.h>
#include <unistd.h>

#include "conformance/checker/checks.hpp"

namespace hull::conformance {

static const char* proc_name(const std::string& type) {
    static const std::pair<const char*, const char*> table[] = {
        {"pid", "pid"}, {"network", "net"}, {"mount", "mnt"},     {"ipc", "ipc"},
        {"uts", "uts"}, {"user", "user"},   {"cgroup", "cgroup"}, {"time", "time"}};
    for (const auto& [spec, proc] : table)
        if (type == spec) return proc;
    return nullptr;
}

static void check_mapping(Context& ctx, const char* field, const char* file) {
    const Json* linux_ = member(ctx.config, "linux");
    const Json* mappings = linux_ ? member(*linux_, field) : nullptr;
    if (!mappings || !mappings->IsArray()) return;
    std::vector<std::string> expected;
    for (const auto& m : mappings->GetArray()) {
        const Json* c = member(m, "containerID");
        const Json* h = member(m, "hostID");
        const Json* s = member(m, "size");
        if (c && h && s)
            expected.push_back(json_to_string(*c) + " " + json_to_string(*h) + " " +
                               json_to_string(*s));
    }
    std::vector<std::string> got;
    for (const auto& line : split(read_text(file).value_or(""), '\n')) {
        std::string normalized;
        for (const auto& word : split(trim(line), ' '))
            if (!word.empty()) normalized += (normalized.empty() ? "" : " ") + word;
        if (!normalized.empty()) got.push_back(normalized);
    }
    std::sort(expected.begin(), expected.end());
    std::sort(got.begin(), got.end());
    auto show = [](const std::vector<std::string>& v) {
        std::string out;
        for (const auto& s : v)
            out += "[" + s + "]";
        return out;
    };
    ctx.tap.expect_eq(std::string("/linux/") + field, show(expected), show(got));
}

void check_namespaces(Context& ctx) {
    const Json* linux_ = member(ctx.config, "linux");
    const Json* list = linux_ ? member(*linux_, "namespaces") : nullptr;
    for (const char* type : {"pid", "network", "mount", "ipc", "uts", "user", "cgroup", "time"}) {
        const std::string name = std::string("/linux/namespaces/") + type;
        const char* proc = proc_name(type);
        const Json* entry = nullptr;
        if (list && list->IsArray())
            for (const auto& ns : list->GetArray())
                if (const Json* t = member(ns, "type");
                    t && t->IsString() && std::string(t->GetString()) == type)
                    entry = &ns;
        struct stat st {};
        if (stat((std::string("/proc/self/ns/") + proc).c_str(), &st) != 0) {
            if (entry)
                ctx.tap.fail(name,
                             "configured but /proc/self/ns/" + std::string(proc) + " is missing");
            else
                ctx.tap.skip(name, "kernel has no " + std::string(type) + " namespace");
            continue;
        }
        const std::string got = std::to_string(st.st_ino);
        const auto host = ctx.host.get(std::string("ns.") + proc);
        if (entry && member(*entry, "path")) {
            const auto joined = ctx.host.get(std::string("join.") + proc);
            if (!joined)
                ctx.tap.skip(name + "/path", "runner did not measure the joined namespace");
            else
                ctx.tap.expect_eq(name + "/path", "inode " + *joined, "inode " + got);
        } else if (!host) {
            ctx.tap.skip(name, "runner did not measure the host namespace");
        } else if (entry) {
            ctx.tap.expect(name, got != *host, "still in the host namespace (inode " + got + ")");
        } else {
            ctx.tap.expect_eq(name + "/shared-with-host", "inode " + *host, "inode " + got);
        }
        if (entry && std::string(type) == "pid" && !member(*entry, "path"))
            ctx.tap.expect_eq("/linux/namespaces/pid/init", "pid 1",
                              "pid " + std::to_string(getpid()));
    }
    check_mapping(ctx, "uidMappings", "/proc/self/uid_map");
    check_mapping(ctx, "gidMappings", "/proc/self/gid_map");
}

}  // namespace hull::conformance
