#include "spec/parse.hpp"

#include <rapidjson/document.h>

#include <limits>
#include <type_traits>

#include "base/file.hpp"
#include "base/json.hpp"
#include "spec/hook_phases.hpp"
#include "spec/json_pointer.hpp"
#include "spec/schema.hpp"

namespace hull::spec {

namespace {

using rapidjson::Value;

// Conversion of one document: knows the source name for errors. The schema has already
// checked shapes, so the checks here only catch what the schema allows but C++ cannot hold
// (an oomScoreAdj beyond int, a timeout beyond int).
class Converter {
  public:
    explicit Converter(const std::string& source) : source_(source) {}

    [[noreturn]] void fail(const std::string& pointer, const std::string& message) const {
        throw ConfigError(source_, pointer, message);
    }

    static const Value* member(const Value& o, const char* key) {
        if (!o.IsObject()) return nullptr;
        auto it = o.FindMember(key);
        return it == o.MemberEnd() ? nullptr : &it->value;
    }

    template <typename T>
    T integer(const Value& v, const std::string& pointer) const {
        if constexpr (std::is_signed_v<T>) {
            if (v.IsInt64()) {
                auto x = v.GetInt64();
                if (x >= std::numeric_limits<T>::min() && x <= std::numeric_limits<T>::max()) {
                    return static_cast<T>(x);
                }
            }
        } else {
            if (v.IsUint64()) {
                auto x = v.GetUint64();
                if (x <= std::numeric_limits<T>::max()) return static_cast<T>(x);
            }
        }
        fail(pointer, "expected an integer in range " +
                          std::to_string(std::numeric_limits<T>::min()) + ".." +
                          std::to_string(std::numeric_limits<T>::max()));
    }

    template <typename T>
    std::optional<T> opt_int(const Value& o, const char* key, const std::string& pointer) const {
        const Value* v = member(o, key);
        if (!v) return std::nullopt;
        return integer<T>(*v, json_pointer_key(pointer, key));
    }

    template <typename T>
    T int_or(const Value& o, const char* key, const std::string& pointer, T fallback) const {
        return opt_int<T>(o, key, pointer).value_or(fallback);
    }

    std::string str(const Value& o, const char* key, const std::string& pointer) const {
        const Value* v = member(o, key);
        if (!v) return "";
        if (!v->IsString()) fail(json_pointer_key(pointer, key), "expected string");
        return std::string(v->GetString(), v->GetStringLength());
    }

    std::optional<bool> opt_bool(const Value& o, const char* key,
                                 const std::string& pointer) const {
        const Value* v = member(o, key);
        if (!v) return std::nullopt;
        if (!v->IsBool()) fail(json_pointer_key(pointer, key), "expected boolean");
        return v->GetBool();
    }

    bool boolean(const Value& o, const char* key, const std::string& pointer) const {
        return opt_bool(o, key, pointer).value_or(false);
    }

    std::vector<std::string> strings(const Value& o, const char* key,
                                     const std::string& pointer) const {
        return opt_strings(o, key, pointer).value_or(std::vector<std::string>{});
    }

    std::optional<std::vector<std::string>> opt_strings(const Value& o, const char* key,
                                                        const std::string& pointer) const {
        const Value* v = member(o, key);
        if (!v) return std::nullopt;
        std::string p = json_pointer_key(pointer, key);
        if (!v->IsArray()) fail(p, "expected array");
        std::vector<std::string> out;
        for (SizeType i = 0; i < v->Size(); ++i) {
            const Value& e = (*v)[i];
            if (!e.IsString()) fail(json_pointer_index(p, i), "expected string");
            out.emplace_back(e.GetString(), e.GetStringLength());
        }
        return out;
    }

    std::map<std::string, std::string> string_map(const Value& o, const char* key,
                                                  const std::string& pointer) const {
        std::map<std::string, std::string> out;
        const Value* v = member(o, key);
        if (!v) return out;
        std::string p = json_pointer_key(pointer, key);
        if (!v->IsObject()) fail(p, "expected object");
        for (const auto& m : v->GetObject()) {
            std::string k(m.name.GetString(), m.name.GetStringLength());
            if (!m.value.IsString()) fail(json_pointer_key(p, k), "expected string");
            out[k] = std::string(m.value.GetString(), m.value.GetStringLength());
        }
        return out;
    }

    // Calls fn(element, pointer) for each element of the array member key.
    template <typename Fn>
    void each(const Value& o, const char* key, const std::string& pointer, Fn fn) const {
        const Value* v = member(o, key);
        if (!v) return;
        std::string p = json_pointer_key(pointer, key);
        if (!v->IsArray()) fail(p, "expected array");
        for (SizeType i = 0; i < v->Size(); ++i)
            fn((*v)[i], json_pointer_index(p, i));
    }

    // Calls fn(object, pointer) when the member key is present.
    template <typename Fn>
    void object(const Value& o, const char* key, const std::string& pointer, Fn fn) const {
        const Value* v = member(o, key);
        if (!v) return;
        std::string p = json_pointer_key(pointer, key);
        if (!v->IsObject()) fail(p, "expected object");
        fn(*v, p);
    }

    using SizeType = rapidjson::SizeType;

    std::vector<IdMapping> mappings(const Value& o, const char* key, const std::string& p) const {
        std::vector<IdMapping> out;
        each(o, key, p, [&](const Value& m, const std::string& mp) {
            IdMapping id;
            id.container_id = int_or<std::uint32_t>(m, "containerID", mp, 0);
            id.host_id = int_or<std::uint32_t>(m, "hostID", mp, 0);
            id.size = int_or<std::uint32_t>(m, "size", mp, 0);
            out.push_back(id);
        });
        return out;
    }

    std::vector<Hook> hook_list(const Value& o, const char* key, const std::string& p) const {
        std::vector<Hook> out;
        each(o, key, p, [&](const Value& h, const std::string& hp) {
            Hook hook;
            hook.path = str(h, "path", hp);
            hook.args = strings(h, "args", hp);
            hook.env = strings(h, "env", hp);
            hook.timeout = opt_int<int>(h, "timeout", hp);
            out.push_back(std::move(hook));
        });
        return out;
    }

    Hooks hooks(const Value& h, const std::string& p) const {
        Hooks out;
        for (const HookPhase& phase : hook_phases())
            out.*phase.hooks = hook_list(h, phase.name, p);
        return out;
    }

    Mount mount(const Value& m, const std::string& p) const {
        Mount out;
        out.destination = str(m, "destination", p);
        out.type = str(m, "type", p);
        out.source = str(m, "source", p);
        out.options = strings(m, "options", p);
        out.uid_mappings = mappings(m, "uidMappings", p);
        out.gid_mappings = mappings(m, "gidMappings", p);
        return out;
    }

    Process process(const Value& v, const std::string& p) const {
        Process out;
        out.terminal = boolean(v, "terminal", p);
        object(v, "consoleSize", p, [&](const Value& c, const std::string& cp) {
            ConsoleSize size;
            size.height = int_or<std::uint64_t>(c, "height", cp, 0);
            size.width = int_or<std::uint64_t>(c, "width", cp, 0);
            out.console_size = size;
        });
        object(v, "user", p, [&](const Value& u, const std::string& up) {
            out.user.uid = int_or<std::uint32_t>(u, "uid", up, 0);
            out.user.gid = int_or<std::uint32_t>(u, "gid", up, 0);
            out.user.umask = opt_int<std::uint32_t>(u, "umask", up);
            each(u, "additionalGids", up, [&](const Value& g, const std::string& gp) {
                out.user.additional_gids.push_back(integer<std::uint32_t>(g, gp));
            });
            out.user.username = str(u, "username", up);
        });
        out.args = strings(v, "args", p);
        out.command_line = str(v, "commandLine", p);
        out.env = strings(v, "env", p);
        out.cwd = str(v, "cwd", p);
        object(v, "capabilities", p, [&](const Value& c, const std::string& cp) {
            Capabilities caps;
            caps.bounding = opt_strings(c, "bounding", cp);
            caps.effective = opt_strings(c, "effective", cp);
            caps.inheritable = opt_strings(c, "inheritable", cp);
            caps.permitted = opt_strings(c, "permitted", cp);
            caps.ambient = opt_strings(c, "ambient", cp);
            out.capabilities = std::move(caps);
        });
        each(v, "rlimits", p, [&](const Value& r, const std::string& rp) {
            Rlimit rl;
            rl.type = str(r, "type", rp);
            rl.soft = int_or<std::uint64_t>(r, "soft", rp, 0);
            rl.hard = int_or<std::uint64_t>(r, "hard", rp, 0);
            out.rlimits.push_back(rl);
        });
        out.no_new_privileges = boolean(v, "noNewPrivileges", p);
        out.apparmor_profile = str(v, "apparmorProfile", p);
        out.oom_score_adj = opt_int<int>(v, "oomScoreAdj", p);
        out.selinux_label = str(v, "selinuxLabel", p);
        object(v, "ioPriority", p, [&](const Value& io, const std::string& iop) {
            IoPriority prio;
            prio.klass = str(io, "class", iop);
            prio.priority = int_or<std::int32_t>(io, "priority", iop, 0);
            out.io_priority = prio;
        });
        object(v, "scheduler", p, [&](const Value& s, const std::string& sp) {
            Scheduler sched;
            sched.policy = str(s, "policy", sp);
            sched.nice = opt_int<std::int32_t>(s, "nice", sp);
            sched.priority = opt_int<std::int32_t>(s, "priority", sp);
            sched.flags = strings(s, "flags", sp);
            sched.runtime = opt_int<std::uint64_t>(s, "runtime", sp);
            sched.deadline = opt_int<std::uint64_t>(s, "deadline", sp);
            sched.period = opt_int<std::uint64_t>(s, "period", sp);
            out.scheduler = std::move(sched);
        });
        object(v, "execCPUAffinity", p, [&](const Value& a, const std::string& ap) {
            ExecCpuAffinity aff;
            aff.initial = str(a, "initial", ap);
            aff.final = str(a, "final", ap);
            out.exec_cpu_affinity = aff;
        });
        return out;
    }

    DeviceCgroupRule device_rule(const Value& d, const std::string& p) const {
        DeviceCgroupRule out;
        out.allow = boolean(d, "allow", p);
        out.type = str(d, "type", p);
        out.major = opt_int<std::int64_t>(d, "major", p);
        out.minor = opt_int<std::int64_t>(d, "minor", p);
        out.access = str(d, "access", p);
        return out;
    }

    std::vector<BlockIoDeviceThrottle> throttles(const Value& o, const char* key,
                                                 const std::string& p) const {
        std::vector<BlockIoDeviceThrottle> out;
        each(o, key, p, [&](const Value& t, const std::string& tp) {
            BlockIoDeviceThrottle th;
            th.major = int_or<std::int64_t>(t, "major", tp, 0);
            th.minor = int_or<std::int64_t>(t, "minor", tp, 0);
            th.rate = int_or<std::uint64_t>(t, "rate", tp, 0);
            out.push_back(th);
        });
        return out;
    }

    Resources resources(const Value& r, const std::string& p) const {
        Resources out;
        each(r, "devices", p, [&](const Value& d, const std::string& dp) {
            out.devices.push_back(device_rule(d, dp));
        });
        object(r, "memory", p, [&](const Value& m, const std::string& mp) {
            MemoryResources mem;
            mem.limit = opt_int<std::int64_t>(m, "limit", mp);
            mem.reservation = opt_int<std::int64_t>(m, "reservation", mp);
            mem.swap = opt_int<std::int64_t>(m, "swap", mp);
            mem.kernel = opt_int<std::int64_t>(m, "kernel", mp);
            mem.kernel_tcp = opt_int<std::int64_t>(m, "kernelTCP", mp);
            mem.swappiness = opt_int<std::uint64_t>(m, "swappiness", mp);
            mem.disable_oom_killer = opt_bool(m, "disableOOMKiller", mp);
            mem.use_hierarchy = opt_bool(m, "useHierarchy", mp);
            mem.check_before_update = opt_bool(m, "checkBeforeUpdate", mp);
            out.memory = mem;
        });
        object(r, "cpu", p, [&](const Value& c, const std::string& cp) {
            CpuResources cpu;
            cpu.shares = opt_int<std::uint64_t>(c, "shares", cp);
            cpu.quota = opt_int<std::int64_t>(c, "quota", cp);
            cpu.burst = opt_int<std::uint64_t>(c, "burst", cp);
            cpu.period = opt_int<std::uint64_t>(c, "period", cp);
            cpu.realtime_runtime = opt_int<std::int64_t>(c, "realtimeRuntime", cp);
            cpu.realtime_period = opt_int<std::uint64_t>(c, "realtimePeriod", cp);
            cpu.cpus = str(c, "cpus", cp);
            cpu.mems = str(c, "mems", cp);
            cpu.idle = opt_int<std::int64_t>(c, "idle", cp);
            out.cpu = cpu;
        });
        object(r, "pids", p, [&](const Value& pv, const std::string& pp) {
            PidsResources pids;
            pids.limit = int_or<std::int64_t>(pv, "limit", pp, 0);
            out.pids = pids;
        });
        object(r, "blockIO", p, [&](const Value& b, const std::string& bp) {
            BlockIoResources bio;
            bio.weight = opt_int<std::uint16_t>(b, "weight", bp);
            bio.leaf_weight = opt_int<std::uint16_t>(b, "leafWeight", bp);
            each(b, "weightDevice", bp, [&](const Value& w, const std::string& wp) {
                BlockIoDeviceWeight wd;
                wd.major = int_or<std::int64_t>(w, "major", wp, 0);
                wd.minor = int_or<std::int64_t>(w, "minor", wp, 0);
                wd.weight = opt_int<std::uint16_t>(w, "weight", wp);
                wd.leaf_weight = opt_int<std::uint16_t>(w, "leafWeight", wp);
                bio.weight_device.push_back(wd);
            });
            bio.throttle_read_bps_device = throttles(b, "throttleReadBpsDevice", bp);
            bio.throttle_write_bps_device = throttles(b, "throttleWriteBpsDevice", bp);
            bio.throttle_read_iops_device = throttles(b, "throttleReadIOPSDevice", bp);
            bio.throttle_write_iops_device = throttles(b, "throttleWriteIOPSDevice", bp);
            out.block_io = std::move(bio);
        });
        each(r, "hugepageLimits", p, [&](const Value& h, const std::string& hp) {
            HugepageLimit hl;
            hl.page_size = str(h, "pageSize", hp);
            hl.limit = int_or<std::uint64_t>(h, "limit", hp, 0);
            out.hugepage_limits.push_back(hl);
        });
        object(r, "network", p, [&](const Value& n, const std::string& np) {
            NetworkResources net;
            net.class_id = opt_int<std::uint32_t>(n, "classID", np);
            each(n, "priorities", np, [&](const Value& pr, const std::string& prp) {
                NetworkPriority prio;
                prio.name = str(pr, "name", prp);
                prio.priority = int_or<std::uint32_t>(pr, "priority", prp, 0);
                net.priorities.push_back(prio);
            });
            out.network = std::move(net);
        });
        object(r, "rdma", p, [&](const Value& rd, const std::string& rdp) {
            for (const auto& m : rd.GetObject()) {
                std::string name(m.name.GetString(), m.name.GetStringLength());
                std::string mp = json_pointer_key(rdp, name);
                if (!m.value.IsObject()) fail(mp, "expected object");
                RdmaLimit lim;
                lim.hca_handles = opt_int<std::uint32_t>(m.value, "hcaHandles", mp);
                lim.hca_objects = opt_int<std::uint32_t>(m.value, "hcaObjects", mp);
                out.rdma[name] = lim;
            }
        });
        out.unified = string_map(r, "unified", p);
        return out;
    }

    Seccomp seccomp(const Value& s, const std::string& p) const {
        Seccomp out;
        out.default_action = str(s, "defaultAction", p);
        out.default_errno_ret = opt_int<std::uint32_t>(s, "defaultErrnoRet", p);
        out.architectures = strings(s, "architectures", p);
        out.flags = strings(s, "flags", p);
        out.listener_path = str(s, "listenerPath", p);
        out.listener_metadata = str(s, "listenerMetadata", p);
        each(s, "syscalls", p, [&](const Value& sc, const std::string& scp) {
            SeccompSyscall call;
            call.names = strings(sc, "names", scp);
            call.action = str(sc, "action", scp);
            call.errno_ret = opt_int<std::uint32_t>(sc, "errnoRet", scp);
            each(sc, "args", scp, [&](const Value& a, const std::string& ap) {
                SeccompArg arg;
                arg.index = int_or<std::uint32_t>(a, "index", ap, 0);
                arg.value = int_or<std::uint64_t>(a, "value", ap, 0);
                arg.value_two = int_or<std::uint64_t>(a, "valueTwo", ap, 0);
                arg.op = str(a, "op", ap);
                call.args.push_back(arg);
            });
            out.syscalls.push_back(std::move(call));
        });
        return out;
    }

    Linux linux_section(const Value& l, const std::string& p) const {
        Linux out;
        each(l, "namespaces", p, [&](const Value& n, const std::string& np) {
            out.namespaces.push_back({str(n, "type", np), str(n, "path", np)});
        });
        out.uid_mappings = mappings(l, "uidMappings", p);
        out.gid_mappings = mappings(l, "gidMappings", p);
        object(l, "timeOffsets", p, [&](const Value& t, const std::string& tp) {
            for (const auto& m : t.GetObject()) {
                std::string clock(m.name.GetString(), m.name.GetStringLength());
                std::string cp = json_pointer_key(tp, clock);
                if (!m.value.IsObject()) fail(cp, "expected object");
                TimeOffset off;
                off.secs = int_or<std::int64_t>(m.value, "secs", cp, 0);
                off.nanosecs = int_or<std::uint32_t>(m.value, "nanosecs", cp, 0);
                out.time_offsets[clock] = off;
            }
        });
        each(l, "devices", p, [&](const Value& d, const std::string& dp) {
            Device dev;
            dev.type = str(d, "type", dp);
            dev.path = str(d, "path", dp);
            // Config keeps major/minor as plain numbers, so "absent" is only visible here.
            auto major = opt_int<std::int64_t>(d, "major", dp);
            auto minor = opt_int<std::int64_t>(d, "minor", dp);
            if (dev.type != "p" && !major)
                fail(dp + "/major", "required for device type " + dev.type);
            if (dev.type != "p" && !minor)
                fail(dp + "/minor", "required for device type " + dev.type);
            dev.major = major.value_or(0);
            dev.minor = minor.value_or(0);
            dev.file_mode = opt_int<std::uint32_t>(d, "fileMode", dp);
            dev.uid = opt_int<std::uint32_t>(d, "uid", dp);
            dev.gid = opt_int<std::uint32_t>(d, "gid", dp);
            out.devices.push_back(dev);
        });
        object(l, "netDevices", p, [&](const Value& n, const std::string& np) {
            for (const auto& m : n.GetObject()) {
                std::string name(m.name.GetString(), m.name.GetStringLength());
                std::string mp = json_pointer_key(np, name);
                if (!m.value.IsObject()) fail(mp, "expected object");
                out.net_devices[name] = NetDevice{str(m.value, "name", mp)};
            }
        });
        out.cgroups_path = str(l, "cgroupsPath", p);
        object(l, "resources", p,
               [&](const Value& r, const std::string& rp) { out.resources = resources(r, rp); });
        out.rootfs_propagation = str(l, "rootfsPropagation", p);
        object(l, "seccomp", p,
               [&](const Value& s, const std::string& sp) { out.seccomp = seccomp(s, sp); });
        out.sysctl = string_map(l, "sysctl", p);
        out.masked_paths = strings(l, "maskedPaths", p);
        out.readonly_paths = strings(l, "readonlyPaths", p);
        out.mount_label = str(l, "mountLabel", p);
        object(l, "intelRdt", p, [&](const Value& r, const std::string& rp) {
            IntelRdt rdt;
            rdt.clos_id = str(r, "closID", rp);
            rdt.schemata = strings(r, "schemata", rp);
            rdt.l3_cache_schema = str(r, "l3CacheSchema", rp);
            rdt.mem_bw_schema = str(r, "memBwSchema", rp);
            rdt.enable_monitoring = opt_bool(r, "enableMonitoring", rp);
            out.intel_rdt = std::move(rdt);
        });
        object(l, "memoryPolicy", p, [&](const Value& m, const std::string& mp) {
            MemoryPolicy pol;
            pol.mode = str(m, "mode", mp);
            pol.nodes = str(m, "nodes", mp);
            pol.flags = strings(m, "flags", mp);
            out.memory_policy = std::move(pol);
        });
        object(l, "personality", p, [&](const Value& m, const std::string& mp) {
            Personality pers;
            pers.domain = str(m, "domain", mp);
            pers.flags = strings(m, "flags", mp);
            out.personality = std::move(pers);
        });
        return out;
    }

    Config config(const Value& doc) const {
        Config out;
        out.oci_version = str(doc, "ociVersion", "");
        object(doc, "root", "", [&](const Value& r, const std::string& rp) {
            out.root = Root{str(r, "path", rp), boolean(r, "readonly", rp)};
        });
        each(doc, "mounts", "",
             [&](const Value& m, const std::string& mp) { out.mounts.push_back(mount(m, mp)); });
        object(doc, "process", "",
               [&](const Value& v, const std::string& vp) { out.process = process(v, vp); });
        out.hostname = str(doc, "hostname", "");
        out.domainname = str(doc, "domainname", "");
        object(doc, "hooks", "",
               [&](const Value& h, const std::string& hp) { out.hooks = hooks(h, hp); });
        out.annotations = string_map(doc, "annotations", "");
        object(doc, "linux", "",
               [&](const Value& l, const std::string& lp) { out.linux = linux_section(l, lp); });
        return out;
    }

  private:
    const std::string& source_;
};

rapidjson::Document parse_json(std::string_view json, const std::string& source) {
    rapidjson::Document doc;
    std::string why = json::parse_into(doc, json);
    if (!why.empty()) throw ConfigError(source, "", why);
    return doc;
}

}  // namespace

Config parse_config(std::string_view json, const std::string& source,
                    const ValidateOptions& options) {
    rapidjson::Document doc = parse_json(json, source);
    validate_config_schema(doc, source);
    Config config = Converter(source).config(doc);
    validate_config(config, source, options);
    return config;
}

Config load_config(const std::string& path, const ValidateOptions& options) {
    std::string text = read_file(path);
    return parse_config(text, "config.json", options);
}

Config load_validated_config(const std::string& path) {
    std::string text = read_file(path);
    rapidjson::Document doc = parse_json(text, "config.json");
    return Converter("config.json").config(doc);
}

Process parse_process(std::string_view json, const std::string& source,
                      const ValidateOptions& options) {
    rapidjson::Document doc = parse_json(json, source);
    validate_process_schema(doc, source);
    Process process = Converter(source).process(doc, "");
    validate_process(process, source, "", options);
    return process;
}

}  // namespace hull::spec
