#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <set>

#include <grp.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "conformance/checker/checks.hpp"

namespace hull::conformance {

static std::optional<std::string> status_field(const std::string& key) {
    const auto text = read_text("/proc/self/status");
    if (!text) return std::nullopt;
    for (const auto& line : split(*text, '\n'))
        if (line.rfind(key + ":", 0) == 0) return trim(line.substr(key.size() + 1));
    return std::nullopt;
}

static void check_args(Context& ctx, const Json& process) {
    const Json* args = member(process, "args");
    if (!args || !args->IsArray()) return;
    std::string expected;
    std::string got;
    for (const auto& arg : args->GetArray())
        expected += "[" + json_to_string(arg) + "]";
    for (const auto& arg : ctx.argv)
        got += "[" + arg + "]";
    ctx.tap.expect_eq("/process/args", expected, got);
}

static void check_env(Context& ctx, const Json& process) {
    const Json* env = member(process, "env");
    if (!env || !env->IsArray()) return;
    std::vector<std::pair<std::string, std::string>> wanted;
    for (const auto& entry : env->GetArray()) {
        const std::string text = json_to_string(entry);
        const auto eq = text.find('=');
        if (eq == std::string::npos) continue;
        const std::string key = text.substr(0, eq);
        std::erase_if(wanted, [&](const auto& kv) { return kv.first == key; });
        wanted.emplace_back(key, text.substr(eq + 1));
    }
    for (const auto& [key, value] : wanted) {
        const char* got = std::getenv(key.c_str());
        ctx.tap.expect_eq("/process/env/" + key, "\"" + value + "\"",
                          got ? "\"" + std::string(got) + "\"" : "unset");
    }
}

static void check_user(Context& ctx, const Json& process) {
    const Json* user = member(process, "user");
    if (!user) return;
    if (const Json* uid = member(*user, "uid")) {
        ctx.tap.expect_eq("/process/user/uid", json_to_string(*uid), std::to_string(getuid()));
        ctx.tap.expect_eq("/process/user/uid/effective", json_to_string(*uid),
                          std::to_string(geteuid()));
    }
    if (const Json* gid = member(*user, "gid")) {
        ctx.tap.expect_eq("/process/user/gid", json_to_string(*gid), std::to_string(getgid()));
        ctx.tap.expect_eq("/process/user/gid/effective", json_to_string(*gid),
                          std::to_string(getegid()));
    }
    if (const Json* extra = member(*user, "additionalGids"); extra && extra->IsArray()) {
        std::set<unsigned> expected;
        for (const auto& gid : extra->GetArray())
            if (gid.IsUint()) expected.insert(gid.GetUint());
        std::vector<gid_t> groups(static_cast<size_t>(NGROUPS_MAX));
        const int count = getgroups(static_cast<int>(groups.size()), groups.data());
        std::set<unsigned> got;
        for (int i = 0; i < count; ++i)
            got.insert(groups[static_cast<size_t>(i)]);
        // The primary gid may or may not be repeated in the supplementary list.
        if (const Json* gid = member(*user, "gid");
            gid && gid->IsUint() && !expected.count(gid->GetUint()))
            got.erase(gid->GetUint());
        auto show = [](const std::set<unsigned>& s) {
            std::string out;
            for (unsigned g : s)
                out += (out.empty() ? "" : ",") + std::to_string(g);
            return "[" + out + "]";
        };
        ctx.tap.expect_eq("/process/user/additionalGids", show(expected), show(got));
    }
    if (const Json* mask = member(*user, "umask"); mask && mask->IsUint()) {
        const auto got = status_field("Umask");
        char expected[16];
        std::snprintf(expected, sizeof expected, "%04o", mask->GetUint());
        if (!got)
            ctx.tap.skip("/process/user/umask",
                         "kernel does not report Umask in /proc/self/status");
        else
            ctx.tap.expect_eq("/process/user/umask", expected, *got);
    }
}

static int rlimit_resource(const std::string& name) {
    static const std::pair<const char*, int> table[] = {
        {"RLIMIT_CPU", RLIMIT_CPU},           {"RLIMIT_FSIZE", RLIMIT_FSIZE},
        {"RLIMIT_DATA", RLIMIT_DATA},         {"RLIMIT_STACK", RLIMIT_STACK},
        {"RLIMIT_CORE", RLIMIT_CORE},         {"RLIMIT_RSS", RLIMIT_RSS},
        {"RLIMIT_NPROC", RLIMIT_NPROC},       {"RLIMIT_NOFILE", RLIMIT_NOFILE},
        {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK},   {"RLIMIT_AS", RLIMIT_AS},
        {"RLIMIT_LOCKS", RLIMIT_LOCKS},       {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
        {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE}, {"RLIMIT_NICE", RLIMIT_NICE},
        {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},     {"RLIMIT_RTTIME", RLIMIT_RTTIME}};
    for (const auto& [n, r] : table)
        if (name == n) return r;
    return -1;
}

static void check_rlimits(Context& ctx, const Json& process) {
    const Json* limits = member(process, "rlimits");
    if (!limits || !limits->IsArray()) return;
    for (const auto& limit : limits->GetArray()) {
        const Json* type = member(limit, "type");
        if (!type || !type->IsString()) continue;
        const std::string name = type->GetString();
        const int resource = rlimit_resource(name);
        if (resource < 0) {
            ctx.tap.skip("/process/rlimits/" + name, "unknown to this checker");
            continue;
        }
        rlimit got{};
        getrlimit(static_cast<__rlimit_resource>(resource), &got);
        const Json* soft = member(limit, "soft");
        const Json* hard = member(limit, "hard");
        if (soft && soft->IsUint64())
            ctx.tap.expect_eq("/process/rlimits/" + name + "/soft",
                              std::to_string(soft->GetUint64()),
                              std::to_string(static_cast<uint64_t>(got.rlim_cur)));
        if (hard && hard->IsUint64())
            ctx.tap.expect_eq("/process/rlimits/" + name + "/hard",
                              std::to_string(hard->GetUint64()),
                              std::to_string(static_cast<uint64_t>(got.rlim_max)));
    }
}

static void check_misc(Context& ctx, const Json& process) {
    if (const Json* cwd = member(process, "cwd"); cwd && cwd->IsString()) {
        char buf[4096];
        const char* got = getcwd(buf, sizeof buf);
        ctx.tap.expect_eq("/process/cwd", cwd->GetString(),
                          got ? got : "error " + errno_name(errno));
    }
    const Json* nnp = member(process, "noNewPrivileges");
    const bool want_nnp = nnp && nnp->IsBool() && nnp->GetBool();
    if (const auto got = status_field("NoNewPrivs"))
        ctx.tap.expect_eq("/process/noNewPrivileges", want_nnp ? "1" : "0", *got);
    if (const Json* oom = member(process, "oomScoreAdj"); oom && oom->IsInt()) {
        const auto got = read_text("/proc/self/oom_score_adj");
        ctx.tap.expect_eq("/process/oomScoreAdj", std::to_string(oom->GetInt()),
                          got ? trim(*got) : "unreadable");
    }
    if (const Json* terminal = member(process, "terminal"); terminal && terminal->IsBool()) {
        if (terminal->GetBool())
            ctx.tap.expect("/process/terminal", isatty(0) && isatty(1),
                           "stdin/stdout are not a terminal");
        else
            ctx.tap.expect("/process/terminal", !isatty(0) && !isatty(1),
                           "stdin or stdout is a terminal");
    }
    if (const Json* profile = member(process, "apparmorProfile"); profile && profile->IsString()) {
        auto got = read_text("/proc/self/attr/apparmor/current");
        if (!got) got = read_text("/proc/self/attr/current");
        const std::string label = got ? trim(*got) : "unreadable";
        ctx.tap.expect("/process/apparmorProfile", label.rfind(profile->GetString(), 0) == 0,
                       std::string("expected ") + profile->GetString() + ", got " + label);
    }
    if (const Json* label = member(process, "selinuxLabel"); label && label->IsString()) {
        const auto got = read_text("/proc/self/attr/current");
        std::string text = got ? trim(*got) : "unreadable";
        if (!text.empty() && text.back() == '\0') text.pop_back();
        ctx.tap.expect_eq("/process/selinuxLabel", label->GetString(), text);
    }
    if (const Json* prio = member(process, "ioPriority")) {
        static const std::pair<const char*, long> classes[] = {
            {"IOPRIO_CLASS_RT", 1}, {"IOPRIO_CLASS_BE", 2}, {"IOPRIO_CLASS_IDLE", 3}};
        long cls = -1;
        if (const Json* c = member(*prio, "class"); c && c->IsString())
            for (const auto& [name, value] : classes)
                if (std::string(c->GetString()) == name) cls = value;
        const Json* level = member(*prio, "priority");
        const long expected = (cls << 13) | (level && level->IsInt() ? level->GetInt() : 0);
        constexpr int kIoprioWhoProcess = 1;
        const long got = syscall(SYS_ioprio_get, kIoprioWhoProcess, 0);
        ctx.tap.expect_eq(
            "/process/ioPriority",
            "class " + std::to_string(expected >> 13) + " level " +
                std::to_string(expected & 0x1fff),
            "class " + std::to_string(got >> 13) + " level " + std::to_string(got & 0x1fff));
    }
    if (const Json* sched = member(process, "scheduler")) {
        static const std::pair<const char*, int> policies[] = {{"SCHED_OTHER", SCHED_OTHER},
                                                               {"SCHED_FIFO", SCHED_FIFO},
                                                               {"SCHED_RR", SCHED_RR},
                                                               {"SCHED_BATCH", SCHED_BATCH},
                                                               {"SCHED_IDLE", SCHED_IDLE}};
        if (const Json* policy = member(*sched, "policy"); policy && policy->IsString()) {
            int expected = -1;
            for (const auto& [name, value] : policies)
                if (std::string(policy->GetString()) == name) expected = value;
            ctx.tap.expect_eq("/process/scheduler/policy", std::to_string(expected),
                              std::to_string(sched_getscheduler(0) & ~SCHED_RESET_ON_FORK));
        }
        if (const Json* nice = member(*sched, "nice"); nice && nice->IsInt()) {
            errno = 0;
            const int got = getpriority(PRIO_PROCESS, 0);
            ctx.tap.expect_eq("/process/scheduler/nice", std::to_string(nice->GetInt()),
                              std::to_string(got));
        }
    }
}

void check_process(Context& ctx) {
    const Json* process = member(ctx.config, "process");
    if (!process) return;
    check_args(ctx, *process);
    check_env(ctx, *process);
    check_user(ctx, *process);
    check_rlimits(ctx, *process);
    check_misc(ctx, *process);
}

// The runtime sets the five sets and then calls execve(2), which recomputes permitted and
// effective (capabilities(7)); the checker binary has no file capabilities. So what a process
// can observe is: for uid 0, permitted = inheritable | bounding (limited to the configured
// permitted set under no_new_privs) and effective = permitted; for any other uid, permitted =
// effective = ambient. Bounding, inheritable and ambient survive execve unchanged.
void check_capabilities(Context& ctx) {
    const Json* process = member(ctx.config, "process");
    const Json* caps = process ? member(*process, "capabilities") : nullptr;
    if (!caps) return;
    const auto last = read_text("/proc/sys/kernel/cap_last_cap");
    const int last_cap = last ? std::atoi(last->c_str()) : 40;
    const auto configured = [&](const char* set) {
        uint64_t mask = 0;
        if (const Json* list = member(*caps, set); list && list->IsArray())
            for (const auto& name : list->GetArray()) {
                const int bit = capability_number(json_to_string(name));
                if (bit >= 0 && bit <= last_cap) mask |= uint64_t{1} << bit;
            }
        return mask;
    };
    const uint64_t bounding = configured("bounding");
    const uint64_t inheritable = configured("inheritable");
    const uint64_t permitted = configured("permitted");
    const uint64_t ambient = configured("ambient") & permitted & inheritable;
    const Json* nnp = member(*process, "noNewPrivileges");
    const bool no_new_privs = nnp && nnp->IsBool() && nnp->GetBool();
    uint64_t after_exec = ambient;
    if (geteuid() == 0) {
        after_exec = inheritable | bounding;
        if (no_new_privs) after_exec &= permitted;
    }
    const struct {
        const char* set;
        const char* field;
        uint64_t expected;
    } sets[] = {{"bounding", "CapBnd", bounding},
                {"effective", "CapEff", after_exec},
                {"inheritable", "CapInh", inheritable},
                {"permitted", "CapPrm", after_exec},
                {"ambient", "CapAmb", ambient}};
    for (const auto& [set, field, expected] : sets) {
        const auto got_text = status_field(field);
        if (!got_text) {
            ctx.tap.skip(std::string("/process/capabilities/") + set, std::string("no ") + field);
            continue;
        }
        const uint64_t got = std::strtoull(got_text->c_str(), nullptr, 16);
        std::string diff;
        for (int bit = 0; bit < 64; ++bit) {
            const uint64_t mask = uint64_t{1} << bit;
            if ((expected & mask) && !(got & mask)) diff += " missing " + capability_name(bit);
            if (!(expected & mask) && (got & mask)) diff += " extra " + capability_name(bit);
        }
        ctx.tap.expect(std::string("/process/capabilities/") + set, diff.empty(),
                       "set differs:" + diff);
    }
}

}  // namespace hull::conformance
