#include "spec/validate.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <string_view>

#include "spec/capability_names.hpp"
#include "spec/hook_phases.hpp"
#include "spec/json_pointer.hpp"
#include "spec/namespace_names.hpp"
#include "spec/rlimit_names.hpp"
#include "spec/seccomp_names.hpp"

namespace hull::spec {

namespace {

std::string quote(const std::string& s) {
    return "\"" + s + "\"";
}

bool absolute(const std::string& path) {
    return !path.empty() && path[0] == '/';
}

// "0-3,7": comma-separated numbers and ascending ranges; blanks around items are allowed.
bool valid_cpu_list(const std::string& list) {
    std::size_t pos = 0;
    auto skip_blanks = [&] {
        while (pos < list.size() && list[pos] == ' ')
            ++pos;
    };
    auto number = [&](unsigned long& out) {
        std::size_t start = pos;
        out = 0;
        while (pos < list.size() && std::isdigit(static_cast<unsigned char>(list[pos]))) {
            out = out * 10 + static_cast<unsigned long>(list[pos] - '0');
            if (out > 1u << 20) return false;
            ++pos;
        }
        return pos > start;
    };
    skip_blanks();
    if (pos == list.size()) return true;  // empty: not set
    while (true) {
        skip_blanks();
        unsigned long first = 0;
        unsigned long last = 0;
        if (!number(first)) return false;
        skip_blanks();
        if (pos < list.size() && list[pos] == '-') {
            ++pos;
            skip_blanks();
            if (!number(last) || last < first) return false;
            skip_blanks();
        }
        if (pos == list.size()) return true;
        if (list[pos] != ',') return false;
        ++pos;
    }
}

// The namespace types, in name order for messages.
const std::vector<std::string>& namespace_types() {
    static const std::vector<std::string> types = [] {
        std::vector<std::string> out;
        for (const auto& k : namespace_kinds())
            out.emplace_back(k.type);
        std::sort(out.begin(), out.end());
        return out;
    }();
    return types;
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items)
        out += (out.empty() ? "" : ", ") + i;
    return out;
}

bool well_formed_capability(const std::string& name) {
    if (name.size() <= 4 || name.rfind("CAP_", 0) != 0) return false;
    return std::all_of(name.begin() + 4, name.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    });
}

// Linux interface names (dev_valid_name): 1..15 bytes, not "." or "..", no '/', ':' or blanks.
bool valid_interface_name(const std::string& name) {
    if (name.empty() || name.size() > 15 || name == "." || name == "..") return false;
    return std::none_of(name.begin(), name.end(), [](char c) {
        return c == '/' || c == ':' || std::isspace(static_cast<unsigned char>(c));
    });
}

// ociVersion: SemVer MAJOR.MINOR.PATCH[-pre][+build]; hull implements 1.0.0 through 1.3.x.
std::optional<std::string> check_oci_version(const std::string& version) {
    const std::string expected = "(expected a SemVer version from 1.0.0 to 1.3.x)";
    std::size_t end = version.find_first_of("-+");
    std::string core = version.substr(0, end);
    if (end != std::string::npos && end + 1 >= version.size()) {
        return "invalid ociVersion " + quote(version) + " " + expected;
    }
    unsigned long parts[3] = {0, 0, 0};
    std::size_t pos = 0;
    for (int i = 0; i < 3; ++i) {
        std::size_t start = pos;
        while (pos < core.size() && std::isdigit(static_cast<unsigned char>(core[pos])))
            ++pos;
        if (pos == start || pos - start > 9 || (pos - start > 1 && core[start] == '0')) {
            return "invalid ociVersion " + quote(version) + " " + expected;
        }
        parts[i] = std::stoul(core.substr(start, pos - start));
        if (i < 2) {
            if (pos >= core.size() || core[pos] != '.') {
                return "invalid ociVersion " + quote(version) + " " + expected;
            }
            ++pos;
        }
    }
    if (pos != core.size()) return "invalid ociVersion " + quote(version) + " " + expected;
    if (parts[0] != 1 || parts[1] > 3) {
        return "unsupported ociVersion " + quote(version) + " " + expected;
    }
    return std::nullopt;
}

class Checker {
  public:
    Checker(const std::string& source, const ValidateOptions& options)
        : source_(source), options_(options) {}

    std::vector<ConfigError> errors;

    void error(const std::string& pointer, const std::string& message) {
        errors.emplace_back(source_, pointer, message);
    }

    void env(const std::vector<std::string>& entries, const std::string& p) {
        for (std::size_t i = 0; i < entries.size(); ++i) {
            auto eq = entries[i].find('=');
            if (eq == std::string::npos || eq == 0) {
                error(json_pointer_index(p, i),
                      "invalid environment entry " + quote(entries[i]) + " (expected KEY=VALUE)");
            }
        }
    }

    void process(const Process& proc, const std::string& p) {
        if (proc.args.empty() && !options_.allow_empty_args) {
            error(p + "/args", "at least one argument is required (the program to run)");
        } else if (!proc.args.empty() && proc.args[0].empty()) {
            error(p + "/args/0", "the program to run must not be empty");
        }
        env(proc.env, p + "/env");
        if (!absolute(proc.cwd)) {
            error(p + "/cwd", "cwd " + quote(proc.cwd) + " must be an absolute path");
        }
        if (proc.capabilities) capabilities(*proc.capabilities, p + "/capabilities");
        std::set<std::string> seen;
        for (std::size_t i = 0; i < proc.rlimits.size(); ++i) {
            const auto& rl = proc.rlimits[i];
            std::string rp = json_pointer_index(p + "/rlimits", i);
            if (!rlimit_number(rl.type)) {
                error(rp + "/type",
                      "unknown rlimit type " + quote(rl.type) +
                          " (expected RLIMIT_CPU ... RLIMIT_RTTIME, see getrlimit(2))");
            } else if (!seen.insert(rl.type).second) {
                error(rp + "/type", "duplicate rlimit type " + quote(rl.type));
            }
            if (rl.soft > rl.hard) {
                error(rp + "/soft", "soft limit " + std::to_string(rl.soft) +
                                        " exceeds hard limit " + std::to_string(rl.hard));
            }
        }
        if (proc.oom_score_adj && (*proc.oom_score_adj < -1000 || *proc.oom_score_adj > 1000)) {
            error(p + "/oomScoreAdj", "oomScoreAdj " + std::to_string(*proc.oom_score_adj) +
                                          " out of range (expected -1000..1000)");
        }
        if (proc.scheduler) scheduler(*proc.scheduler, p + "/scheduler");
        if (proc.io_priority) {
            if (proc.io_priority->priority < 0 || proc.io_priority->priority > 7) {
                error(p + "/ioPriority/priority", "priority " +
                                                      std::to_string(proc.io_priority->priority) +
                                                      " out of range (expected 0..7)");
            }
        }
        if (proc.exec_cpu_affinity) {
            const auto& a = *proc.exec_cpu_affinity;
            if (!valid_cpu_list(a.initial)) {
                error(p + "/execCPUAffinity/initial",
                      "invalid CPU list " + quote(a.initial) + " (expected e.g. \"0-3,7\")");
            }
            if (!valid_cpu_list(a.final)) {
                error(p + "/execCPUAffinity/final",
                      "invalid CPU list " + quote(a.final) + " (expected e.g. \"0-3,7\")");
            }
        }
    }

    void capabilities(const Capabilities& caps, const std::string& p) {
        auto set = [&](const std::optional<std::vector<std::string>>& names, const char* name) {
            if (!names) return;
            for (std::size_t i = 0; i < names->size(); ++i) {
                if (!well_formed_capability((*names)[i])) {
                    error(json_pointer_index(p + "/" + name, i),
                          "invalid capability name " + quote((*names)[i]) +
                              " (expected CAP_*, see capabilities(7))");
                }
            }
        };
        set(caps.bounding, "bounding");
        set(caps.effective, "effective");
        set(caps.inheritable, "inheritable");
        set(caps.permitted, "permitted");
        set(caps.ambient, "ambient");
    }

    void scheduler(const Scheduler& s, const std::string& p) {
        bool realtime = s.policy == "SCHED_FIFO" || s.policy == "SCHED_RR";
        if (s.priority && *s.priority != 0 && !realtime) {
            error(p + "/priority",
                  "priority is only valid with SCHED_FIFO or SCHED_RR, not " + s.policy);
        }
        if (realtime && s.priority && (*s.priority < 1 || *s.priority > 99)) {
            error(p + "/priority", "priority " + std::to_string(*s.priority) +
                                       " out of range for " + s.policy + " (expected 1..99)");
        }
        if (s.nice && (*s.nice < -20 || *s.nice > 19)) {
            error(p + "/nice",
                  "nice " + std::to_string(*s.nice) + " out of range (expected -20..19)");
        }
        if (s.policy == "SCHED_DEADLINE") {
            for (auto [value, name] :
                 {std::pair{s.runtime, "runtime"}, std::pair{s.deadline, "deadline"},
                  std::pair{s.period, "period"}}) {
                if (!value || *value == 0) {
                    error(p + "/" + name,
                          std::string("SCHED_DEADLINE requires a non-zero ") + name);
                }
            }
            if (s.runtime && s.deadline && s.period && *s.runtime && *s.deadline && *s.period &&
                !(*s.runtime <= *s.deadline && *s.deadline <= *s.period)) {
                error(p + "/runtime", "SCHED_DEADLINE requires runtime <= deadline <= period");
            }
        } else {
            for (const auto& flag : s.flags) {
                if (flag == "SCHED_FLAG_RECLAIM" || flag == "SCHED_FLAG_DL_OVERRUN") {
                    error(p + "/flags", flag + " is only valid with SCHED_DEADLINE");
                    break;
                }
            }
        }
    }

    void mappings(const std::vector<IdMapping>& maps, const std::string& p) {
        for (std::size_t i = 0; i < maps.size(); ++i) {
            if (maps[i].size == 0)
                error(json_pointer_index(p, i) + "/size", "mapping size must not be 0");
        }
    }

    void hooks(const Hooks& h) {
        auto list = [&](const std::vector<Hook>& hooks, const char* name) {
            for (std::size_t i = 0; i < hooks.size(); ++i) {
                std::string hp = json_pointer_index(std::string("/hooks/") + name, i);
                if (!absolute(hooks[i].path)) {
                    error(hp + "/path",
                          "hook path " + quote(hooks[i].path) + " must be an absolute path");
                }
                env(hooks[i].env, hp + "/env");
                if (hooks[i].timeout && *hooks[i].timeout < 1) {
                    error(hp + "/timeout", "timeout must be at least 1 second");
                }
            }
        };
        for (const HookPhase& phase : hook_phases())
            list(h.*phase.hooks, phase.name);
    }

    void mounts(const Config& c) {
        for (std::size_t i = 0; i < c.mounts.size(); ++i) {
            const auto& m = c.mounts[i];
            std::string mp = json_pointer_index("/mounts", i);
            if (m.destination.empty()) {
                error(mp + "/destination", "destination must not be empty");
            } else if (!absolute(m.destination)) {
                error(mp + "/destination",
                      "destination " + quote(m.destination) + " must be an absolute path");
            }
            bool idmap = std::any_of(m.options.begin(), m.options.end(),
                                     [](const auto& o) { return o == "idmap" || o == "ridmap"; });
            if (!m.uid_mappings.empty() && m.gid_mappings.empty()) {
                error(mp + "/gidMappings", "uidMappings require gidMappings");
            } else if (m.uid_mappings.empty() && !m.gid_mappings.empty()) {
                error(mp + "/uidMappings", "gidMappings require uidMappings");
            } else if (idmap && m.uid_mappings.empty() && !c.has_namespace("user") &&
                       (!c.linux || c.linux->uid_mappings.empty())) {
                // config.md: without mount mappings the runtime MAY use the container's user
                // namespace mapping, "otherwise an error MUST be generated".
                error(mp + "/options",
                      "an idmap mount needs uidMappings/gidMappings or a user "
                      "namespace to take the mapping from");
            }
            mappings(m.uid_mappings, mp + "/uidMappings");
            mappings(m.gid_mappings, mp + "/gidMappings");
        }
    }

    void linux_section(const Config& c) {
        const Linux& l = *c.linux;
        std::set<std::string> seen;
        for (std::size_t i = 0; i < l.namespaces.size(); ++i) {
            const auto& ns = l.namespaces[i];
            std::string np = json_pointer_index("/linux/namespaces", i);
            const auto& known = namespace_types();
            if (std::find(known.begin(), known.end(), ns.type) == known.end()) {
                error(np + "/type", "unknown namespace type " + quote(ns.type) +
                                        " (expected one of: " + join(known) + ")");
            } else if (!seen.insert(ns.type).second) {
                error(np + "/type", "duplicate namespace type " + quote(ns.type));
            }
            if (!ns.path.empty() && !absolute(ns.path)) {
                error(np + "/path", "namespace path " + quote(ns.path) + " must be absolute");
            }
        }
        const Namespace* user = c.find_namespace("user");
        bool new_user = user && user->path.empty();
        bool idmapped_mount = std::any_of(c.mounts.begin(), c.mounts.end(), [](const Mount& m) {
            return std::any_of(m.options.begin(), m.options.end(),
                               [](const auto& o) { return o == "idmap" || o == "ridmap"; });
        });
        if (new_user) {
            if (l.uid_mappings.empty()) {
                error("/linux/uidMappings", "a new user namespace requires uidMappings");
            } else if (l.gid_mappings.empty()) {
                error("/linux/gidMappings", "a new user namespace requires gidMappings");
            }
        } else if (!user && !idmapped_mount) {
            if (!l.uid_mappings.empty()) {
                error("/linux/uidMappings", "uidMappings require a user namespace");
            } else if (!l.gid_mappings.empty()) {
                error("/linux/gidMappings", "gidMappings require a user namespace");
            }
        }
        mappings(l.uid_mappings, "/linux/uidMappings");
        mappings(l.gid_mappings, "/linux/gidMappings");
        if (!l.time_offsets.empty()) {
            const Namespace* time = c.find_namespace("time");
            if (!time || !time->path.empty()) {
                error("/linux/timeOffsets", "timeOffsets require a new time namespace");
            }
            for (const auto& [clock, offset] : l.time_offsets) {
                if (clock != "boottime" && clock != "monotonic") {
                    error(json_pointer_key("/linux/timeOffsets", clock),
                          "unknown clock " + quote(clock) + " (expected boottime or monotonic)");
                } else if (offset.nanosecs >= 1000000000u) {
                    error(json_pointer_key("/linux/timeOffsets", clock) + "/nanosecs",
                          "nanosecs must be below 1000000000");
                }
            }
        }
        for (std::size_t i = 0; i < l.devices.size(); ++i) {
            const auto& d = l.devices[i];
            std::string dp = json_pointer_index("/linux/devices", i);
            if (d.type != "c" && d.type != "b" && d.type != "u" && d.type != "p") {
                error(dp + "/type",
                      "unknown device type " + quote(d.type) + " (expected one of: b, c, p, u)");
            }
            if (!absolute(d.path)) {
                error(dp + "/path", "device path " + quote(d.path) + " must be absolute");
            }
            if (d.file_mode && *d.file_mode > 07777) {
                error(dp + "/fileMode", "fileMode must be a permission mode (at most 07777)");
            }
        }
        bool netns = c.has_namespace("network");
        for (const auto& [name, dev] : l.net_devices) {
            std::string np = json_pointer_key("/linux/netDevices", name);
            if (!valid_interface_name(name)) {
                error(np, "invalid network interface name " + quote(name) +
                              " (1-15 characters, no '/', ':' or whitespace)");
            }
            if (!dev.name.empty() && !valid_interface_name(dev.name)) {
                error(np + "/name", "invalid network interface name " + quote(dev.name) +
                                        " (1-15 characters, no '/', ':' or whitespace)");
            }
            if (!netns) {
                error(np, "netDevices require a network namespace");
            }
        }
        if (l.resources) resources(*l.resources);
        // rootfsPropagation's values are the schema's enum (defs-linux.json), checked there.
        if (l.seccomp) seccomp(*l.seccomp);
        for (const auto& [k, v] : l.sysctl) {
            if (k.empty() || k.find_first_of(" \t\n") != std::string::npos || k.front() == '.' ||
                k.back() == '.' || k.front() == '/') {
                error(json_pointer_key("/linux/sysctl", k), "invalid sysctl name " + quote(k));
            }
        }
        for (std::size_t i = 0; i < l.masked_paths.size(); ++i) {
            if (!absolute(l.masked_paths[i])) {
                error(json_pointer_index("/linux/maskedPaths", i),
                      "masked path " + quote(l.masked_paths[i]) + " must be absolute");
            }
        }
        for (std::size_t i = 0; i < l.readonly_paths.size(); ++i) {
            if (!absolute(l.readonly_paths[i])) {
                error(json_pointer_index("/linux/readonlyPaths", i),
                      "readonly path " + quote(l.readonly_paths[i]) + " must be absolute");
            }
        }
        if (l.intel_rdt) {
            const auto& r = *l.intel_rdt;
            if (r.l3_cache_schema.find('\n') != std::string::npos) {
                error("/linux/intelRdt/l3CacheSchema", "must not contain newlines");
            }
            if (!r.mem_bw_schema.empty() && (r.mem_bw_schema.rfind("MB:", 0) != 0 ||
                                             r.mem_bw_schema.find('\n') != std::string::npos)) {
                error("/linux/intelRdt/memBwSchema", "must start with \"MB:\" and be one line");
            }
            for (std::size_t i = 0; i < r.schemata.size(); ++i) {
                if (r.schemata[i].find('\n') != std::string::npos) {
                    error(json_pointer_index("/linux/intelRdt/schemata", i),
                          "must not contain newlines");
                }
            }
            if (r.clos_id.find('/') != std::string::npos && r.clos_id != "/") {
                error("/linux/intelRdt/closID", "closID must not contain '/'");
            }
        }
        if (l.memory_policy) {
            const auto& mp = *l.memory_policy;
            if (mp.mode.empty()) {
                error("/linux/memoryPolicy/mode", "required member missing");
            } else if ((mp.mode == "MPOL_DEFAULT" || mp.mode == "MPOL_LOCAL") &&
                       !mp.nodes.empty()) {
                error("/linux/memoryPolicy/nodes", mp.mode + " takes no nodes");
            } else if ((mp.mode == "MPOL_BIND" || mp.mode == "MPOL_INTERLEAVE" ||
                        mp.mode == "MPOL_WEIGHTED_INTERLEAVE" ||
                        mp.mode == "MPOL_PREFERRED_MANY") &&
                       mp.nodes.empty()) {
                error("/linux/memoryPolicy/nodes", mp.mode + " requires nodes");
            }
            if (!valid_cpu_list(mp.nodes)) {
                error("/linux/memoryPolicy/nodes",
                      "invalid node list " + quote(mp.nodes) + " (expected e.g. \"0-3,7\")");
            }
        }
        if (l.personality) {
            if (l.personality->domain != "LINUX" && l.personality->domain != "LINUX32") {
                error("/linux/personality/domain", "unknown personality domain " +
                                                       quote(l.personality->domain) +
                                                       " (expected LINUX or LINUX32)");
            }
            if (!l.personality->flags.empty()) {
                error("/linux/personality/flags/0", "unsupported personality flag " +
                                                        quote(l.personality->flags[0]) +
                                                        " (no flags are supported)");
            }
        }
    }

    void resources(const Resources& r) {
        const std::string p = "/linux/resources";
        for (std::size_t i = 0; i < r.devices.size(); ++i) {
            const auto& d = r.devices[i];
            std::string dp = json_pointer_index(p + "/devices", i);
            if (!d.type.empty() && d.type != "a" && d.type != "b" && d.type != "c") {
                error(dp + "/type",
                      "unknown device type " + quote(d.type) + " (expected one of: a, b, c)");
            }
            if (d.access.find_first_not_of("rwm") != std::string::npos) {
                error(dp + "/access",
                      "invalid access " + quote(d.access) + " (expected a combination of r, w, m)");
            }
        }
        if (r.memory) {
            const auto& m = *r.memory;
            if (m.limit && m.swap && *m.limit > 0 && *m.swap > 0 && *m.swap < *m.limit) {
                error(p + "/memory/swap", "swap (memory+swap) " + std::to_string(*m.swap) +
                                              " must not be below limit " +
                                              std::to_string(*m.limit));
            }
            if (m.swappiness && *m.swappiness > 100) {
                error(p + "/memory/swappiness", "swappiness " + std::to_string(*m.swappiness) +
                                                    " out of range (expected 0..100)");
            }
            if (m.reservation && m.limit && *m.reservation > 0 && *m.limit > 0 &&
                *m.reservation > *m.limit) {
                error(p + "/memory/reservation", "reservation must not exceed limit");
            }
        }
        if (r.cpu) {
            const auto& c = *r.cpu;
            if (c.burst && c.quota && *c.quota > 0 &&
                *c.burst > static_cast<std::uint64_t>(*c.quota)) {
                error(p + "/cpu/burst", "burst must not exceed quota");
            }
            if (c.realtime_runtime && c.realtime_period && *c.realtime_runtime > 0 &&
                static_cast<std::uint64_t>(*c.realtime_runtime) > *c.realtime_period) {
                error(p + "/cpu/realtimeRuntime", "realtimeRuntime must not exceed realtimePeriod");
            }
            if (!valid_cpu_list(c.cpus)) {
                error(p + "/cpu/cpus", "invalid CPU list " + quote(c.cpus));
            }
            if (!valid_cpu_list(c.mems)) {
                error(p + "/cpu/mems", "invalid memory node list " + quote(c.mems));
            }
        }
        if (r.block_io) {
            for (std::size_t i = 0; i < r.block_io->weight_device.size(); ++i) {
                const auto& w = r.block_io->weight_device[i];
                if (!w.weight && !w.leaf_weight) {
                    error(json_pointer_index(p + "/blockIO/weightDevice", i),
                          "at least one of weight or leafWeight is required");
                }
            }
        }
        for (std::size_t i = 0; i < r.hugepage_limits.size(); ++i) {
            const auto& size = r.hugepage_limits[i].page_size;
            bool ok = size.size() >= 3 && size[0] >= '1' && size[0] <= '9' && size.back() == 'B' &&
                      std::string("KMG").find(size[size.size() - 2]) != std::string::npos &&
                      std::all_of(size.begin(), size.end() - 2,
                                  [](char ch) { return ch >= '0' && ch <= '9'; });
            if (!ok) {
                error(json_pointer_index(p + "/hugepageLimits", i) + "/pageSize",
                      "invalid page size " + quote(size) + " (expected e.g. \"2MB\")");
            }
        }
        for (const auto& [device, limit] : r.rdma) {
            if (!limit.hca_handles && !limit.hca_objects) {
                error(json_pointer_key(p + "/rdma", device),
                      "at least one of hcaHandles or hcaObjects is required");
            }
        }
    }

    void seccomp(const Seccomp& s) {
        const std::string p = "/linux/seccomp";
        auto takes_errno = [](const std::string& action) {
            const SeccompActionName* known = find_seccomp_action(action);
            return known && known->takes_errno;
        };
        bool notify = s.default_action == "SCMP_ACT_NOTIFY";
        if (s.default_errno_ret && !takes_errno(s.default_action)) {
            error(p + "/defaultErrnoRet",
                  "defaultErrnoRet is only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE");
        }
        for (std::size_t i = 0; i < s.syscalls.size(); ++i) {
            const auto& sc = s.syscalls[i];
            std::string sp = json_pointer_index(p + "/syscalls", i);
            if (sc.names.empty()) error(sp + "/names", "at least one syscall name is required");
            for (std::size_t n = 0; n < sc.names.size(); ++n) {
                if (sc.names[n].empty())
                    error(json_pointer_index(sp + "/names", n), "syscall name is empty");
            }
            if (sc.errno_ret && !takes_errno(sc.action)) {
                error(sp + "/errnoRet",
                      "errnoRet is only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE");
            }
            if (sc.action == "SCMP_ACT_NOTIFY") notify = true;
            for (std::size_t a = 0; a < sc.args.size(); ++a) {
                if (sc.args[a].index >= 6) {
                    error(json_pointer_index(sp + "/args", a) + "/index",
                          "argument index " + std::to_string(sc.args[a].index) +
                              " out of range (expected 0..5)");
                }
            }
        }
        if (notify && s.listener_path.empty()) {
            error(p + "/listenerPath", "SCMP_ACT_NOTIFY requires listenerPath");
        }
        if (!s.listener_path.empty() && !absolute(s.listener_path)) {
            error(p + "/listenerPath",
                  "listenerPath " + quote(s.listener_path) + " must be absolute");
        }
        if (!s.listener_metadata.empty() && s.listener_path.empty()) {
            error(p + "/listenerMetadata", "listenerMetadata requires listenerPath");
        }
    }

    void config(const Config& c) {
        if (auto problem = check_oci_version(c.oci_version)) error("/ociVersion", *problem);
        if (!c.root) {
            error("/root", "root is required on Linux");
        } else if (c.root->path.empty()) {
            error("/root/path", "root path must not be empty");
        }
        mounts(c);
        if (c.process) process(*c.process, "/process");
        if (!c.hostname.empty() && !c.has_namespace("uts")) {
            error("/hostname", "setting the hostname requires a uts namespace");
        }
        if (!c.domainname.empty() && !c.has_namespace("uts")) {
            error("/domainname", "setting the domainname requires a uts namespace");
        }
        if (c.hooks) hooks(*c.hooks);
        for (const auto& [k, v] : c.annotations) {
            if (k.empty()) error("/annotations/", "annotation key must not be empty");
        }
        if (c.linux) {
            linux_section(c);
        } else if (!c.hostname.empty() || !c.domainname.empty()) {
            // Reported above through has_namespace(); nothing more to check.
        }
    }

  private:
    const std::string& source_;
    const ValidateOptions& options_;
};

}  // namespace

std::vector<ConfigError> config_errors(const Config& config, const std::string& source,
                                       const ValidateOptions& options) {
    Checker checker(source, options);
    checker.config(config);
    return std::move(checker.errors);
}

void validate_config(const Config& config, const std::string& source,
                     const ValidateOptions& options) {
    auto errors = config_errors(config, source, options);
    if (!errors.empty()) throw errors.front();
}

void validate_process(const Process& process, const std::string& source,
                      const std::string& pointer_prefix, const ValidateOptions& options) {
    Checker checker(source, options);
    checker.process(process, pointer_prefix);
    if (!checker.errors.empty()) throw checker.errors.front();
}

std::vector<std::string> config_warnings(const Config& config, const std::string& source) {
    std::vector<std::string> out;
    if (!config.process || !config.process->capabilities) return out;
    const auto& caps = *config.process->capabilities;
    auto set = [&](const std::optional<std::vector<std::string>>& names, const char* name) {
        if (!names) return;
        for (std::size_t i = 0; i < names->size(); ++i) {
            const auto& cap = (*names)[i];
            if (well_formed_capability(cap) && !capability_number(cap)) {
                out.push_back(source + ": " +
                              json_pointer_index(std::string("/process/capabilities/") + name, i) +
                              ": unknown capability " + quote(cap) + " ignored");
            }
        }
    };
    set(caps.bounding, "bounding");
    set(caps.effective, "effective");
    set(caps.inheritable, "inheritable");
    set(caps.permitted, "permitted");
    set(caps.ambient, "ambient");
    return out;
}

}  // namespace hull::spec
