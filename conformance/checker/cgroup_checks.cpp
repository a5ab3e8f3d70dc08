#include <sys/stat.h>
#include <cstdint>

#include "conformance/checker/checks.hpp"

namespace hull::conformance {

namespace {

// Where this process's cgroup of one v1 controller (or the v2 group, controller "") is visible
// inside the container, derived from /proc/self/cgroup and the cgroup mounts in mountinfo.
std::optional<std::string> cgroup_dir(const Context& ctx, const std::string& controller) {
    std::string own_path;
    bool found_line = false;
    for (const auto& line : split(read_text("/proc/self/cgroup").value_or(""), '\n')) {
        const auto parts = split(line, ':');
        if (parts.size() < 3) continue;
        const auto controllers = split(parts[1], ',');
        if ((controller.empty() && parts[1].empty() && parts[0] == "0") ||
            (!controller.empty() && has(controllers, controller))) {
            own_path = parts[2];
            found_line = true;
        }
    }
    if (!found_line) return std::nullopt;
    for (const auto& m : ctx.mounts) {
        const bool match = controller.empty()
                               ? m.fs_type == "cgroup2"
                               : (m.fs_type == "cgroup" && has(m.super_options, controller));
        if (!match) continue;
        if (own_path.rfind(m.root, 0) != 0) continue;
        std::string rel = m.root == "/" ? own_path : own_path.substr(m.root.size());
        if (rel == "/") rel.clear();
        return m.mount_point + rel;
    }
    return std::nullopt;
}

// With a cgroup namespace, /proc/self/cgroup paths are relative to the namespace root; a path
// starting with "/.." means the process was moved into its cgroup after the namespace was made.
std::optional<std::string> own_path_outside_namespace(const std::string& controller) {
    for (const auto& line : split(read_text("/proc/self/cgroup").value_or(""), '\n')) {
        const auto parts = split(line, ':');
        if (parts.size() < 3) continue;
        const bool match = controller.empty() ? parts[0] == "0" && parts[1].empty()
                                              : has(split(parts[1], ','), controller);
        if (match && parts[2].rfind("/..", 0) == 0) return parts[2];
    }
    return std::nullopt;
}

struct Limit {
    const char* section;  // field under linux.resources
    const char* field;    // its member
    const char* v1_controller;
    const char* v1_file;
    const char* v2_file;
};

constexpr Limit kLimits[] = {
    {"memory", "limit", "memory", "memory.limit_in_bytes", "memory.max"},
    {"memory", "reservation", "memory", "memory.soft_limit_in_bytes", "memory.low"},
    {"memory", "swap", "memory", "memory.memsw.limit_in_bytes", nullptr},
    {"memory", "swappiness", "memory", "memory.swappiness", nullptr},
    {"cpu", "shares", "cpu", "cpu.shares", nullptr},
    {"cpu", "quota", "cpu", "cpu.cfs_quota_us", nullptr},
    {"cpu", "period", "cpu", "cpu.cfs_period_us", nullptr},
    {"cpu", "cpus", "cpuset", "cpuset.cpus", "cpuset.cpus"},
    {"cpu", "mems", "cpuset", "cpuset.mems", "cpuset.mems"},
    {"pids", "limit", "pids", "pids.max", "pids.max"},
    {"blockIO", "weight", "blkio", "blkio.weight", nullptr},
    {"network", "classID", "net_cls", "net_cls.classid", nullptr},
};

std::string expected_text(const Limit& limit, const Json& value) {
    if (std::string(limit.section) == "pids" && value.IsInt64() && value.GetInt64() <= 0)
        return "max";
    return json_to_string(value);
}

}  // namespace

void check_cgroups(Context& ctx) {
    const Json* linux_ = member(ctx.config, "linux");
    const Json* resources = linux_ ? member(*linux_, "resources") : nullptr;
    if (!resources) return;
    const bool unified = !cgroup_dir(ctx, "memory") && cgroup_dir(ctx, "").has_value();
    for (const auto& limit : kLimits) {
        const Json* section = member(*resources, limit.section);
        const Json* value = section ? member(*section, limit.field) : nullptr;
        if (!value) continue;
        const std::string name =
            std::string("/linux/resources/") + limit.section + "/" + limit.field;
        if (value->IsInt64() && value->GetInt64() == -1 && std::string(limit.section) == "memory") {
            ctx.tap.skip(name, "-1 means unlimited; nothing to compare");
            continue;
        }
        const char* file = unified ? limit.v2_file : limit.v1_file;
        if (!file) {
            ctx.tap.skip(name, "no direct cgroup v2 file for this setting");
            continue;
        }
        if (const auto outside = own_path_outside_namespace(unified ? "" : limit.v1_controller)) {
            ctx.tap.fail(name, "the process's cgroup " + *outside +
                                   " lies outside its cgroup namespace root, so its limits are not "
                                   "visible inside the container");
            continue;
        }
        const auto dir = cgroup_dir(ctx, unified ? "" : limit.v1_controller);
        if (!dir) {
            ctx.tap.skip(name, std::string("the ") + limit.v1_controller +
                                   " cgroup is not mounted in the container");
            continue;
        }
        const std::string path = *dir + "/" + file;
        const auto got = read_text(path);
        if (!got) {
            ctx.tap.skip(name, path + " does not exist on this kernel");
            continue;
        }
        ctx.tap.expect_eq(name, expected_text(limit, *value), trim(*got));
    }
    if (const Json* pages = member(*resources, "hugepageLimits"); pages && pages->IsArray())
        for (const auto& page : pages->GetArray()) {
            const Json* size = member(page, "pageSize");
            const Json* limit = member(page, "limit");
            if (!size || !limit) continue;
            const std::string name = "/linux/resources/hugepageLimits/" + json_to_string(*size);
            const auto dir = cgroup_dir(ctx, unified ? "" : "hugetlb");
            const auto text = dir ? read_text(*dir + "/hugetlb." + json_to_string(*size) +
                                              (unified ? ".max" : ".limit_in_bytes"))
                                  : std::nullopt;
            if (!text)
                ctx.tap.skip(name, "hugetlb cgroup not visible");
            else
                ctx.tap.expect_eq(name, json_to_string(*limit), trim(*text));
        }
    if (const Json* memory = member(*resources, "memory"))
        if (const Json* oom = member(*memory, "disableOOMKiller");
            oom && oom->IsBool() && !unified) {
            const auto dir = cgroup_dir(ctx, "memory");
            const auto text = dir ? read_text(*dir + "/memory.oom_control") : std::nullopt;
            if (const auto outside = own_path_outside_namespace("memory"))
                ctx.tap.fail("/linux/resources/memory/disableOOMKiller",
                             "the process's memory cgroup " + *outside +
                                 " lies outside its cgroup namespace root");
            else if (!text)
                ctx.tap.skip("/linux/resources/memory/disableOOMKiller",
                             "memory.oom_control not visible");
            else
                ctx.tap.expect(
                    "/linux/resources/memory/disableOOMKiller",
                    text->find(std::string("oom_kill_disable ") + (oom->GetBool() ? "1" : "0")) !=
                        std::string::npos,
                    "memory.oom_control says " + trim(text->substr(0, text->find('\n'))));
        }
}

}  // namespace hull::conformance
