// One change at a time to a valid config, each rejected with the exact JSON pointer.
#include <rapidjson/document.h>
#include <rapidjson/pointer.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "spec/parse.hpp"
#include "spec/schema.hpp"

using hull::spec::ConfigError;

namespace {

constexpr const char* kBase = R"({
    "ociVersion": "1.3.0",
    "root": {"path": "rootfs", "readonly": true},
    "hostname": "box",
    "mounts": [
        {"destination": "/proc", "type": "proc", "source": "proc"},
        {"destination": "/data", "type": "bind", "source": "/srv/data", "options": ["rbind", "ro"]}
    ],
    "process": {
        "terminal": false,
        "user": {"uid": 0, "gid": 0},
        "args": ["sh", "-c", "true"],
        "env": ["PATH=/usr/bin:/bin", "TERM=xterm"],
        "cwd": "/",
        "capabilities": {"bounding": ["CAP_KILL"], "effective": ["CAP_KILL"]},
        "rlimits": [{"type": "RLIMIT_NOFILE", "soft": 1024, "hard": 1024}],
        "noNewPrivileges": true
    },
    "hooks": {"prestart": [{"path": "/bin/true", "timeout": 5}]},
    "linux": {
        "namespaces": [
            {"type": "pid"}, {"type": "network"}, {"type": "ipc"}, {"type": "uts"}, {"type": "mount"}
        ],
        "devices": [{"type": "c", "path": "/dev/fuse", "major": 10, "minor": 229}],
        "resources": {
            "devices": [{"allow": false, "access": "rwm"},
                        {"allow": true, "type": "c", "major": 10, "minor": 229, "access": "rwm"}],
            "pids": {"limit": 100},
            "hugepageLimits": [{"pageSize": "2MB", "limit": 0}],
            "blockIO": {"weightDevice": [{"major": 8, "minor": 0, "weight": 500}]}
        },
        "seccomp": {
            "defaultAction": "SCMP_ACT_ERRNO",
            "architectures": ["SCMP_ARCH_X86_64"],
            "syscalls": [{"names": ["getcwd"], "action": "SCMP_ACT_ALLOW"}]
        },
        "sysctl": {"net.ipv4.ip_forward": "1"},
        "maskedPaths": ["/proc/kcore"],
        "readonlyPaths": ["/proc/sys"]
    }
})";

struct Change {
    const char* pointer;
    const char* json;  // nullptr: remove the member
};

struct Case {
    const char* name;
    std::vector<Change> changes;
    const char* pointer;   // expected error pointer
    const char* fragment;  // expected part of the message
    bool schema_layer;     // true: the schema rejects it; false: only semantics do
};

std::string apply(const std::vector<Change>& changes) {
    rapidjson::Document doc;
    doc.Parse(kBase);
    REQUIRE_FALSE(doc.HasParseError());
    for (const auto& change : changes) {
        rapidjson::Pointer p(change.pointer);
        REQUIRE(p.IsValid());
        if (!change.json) {
            REQUIRE(p.Erase(doc));
            continue;
        }
        rapidjson::Document value;
        value.Parse(change.json);
        REQUIRE_FALSE(value.HasParseError());
        p.Set(doc, rapidjson::Value(value, doc.GetAllocator()));
    }
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    doc.Accept(w);
    return buf.GetString();
}

const std::vector<Case>& cases() {
    static const std::vector<Case> all = {
        // Schema layer.
        {"ociVersion not a string",
         {{"/ociVersion", "5"}},
         "/ociVersion",
         "expected string, got integer",
         true},
        {"ociVersion missing",
         {{"/ociVersion", nullptr}},
         "/ociVersion",
         "required member missing",
         true},
        {"cwd missing",
         {{"/process/cwd", nullptr}},
         "/process/cwd",
         "required member missing",
         true},
        {"terminal not bool",
         {{"/process/terminal", R"("yes")"}},
         "/process/terminal",
         "expected boolean, got string",
         true},
        {"unknown namespace",
         {{"/linux/namespaces/2/type", R"("netx")"}},
         "/linux/namespaces/2/type",
         "unknown namespace type \"netx\" (expected one of: cgroup, ipc, mount, network, pid, "
         "time, user, uts)",
         true},
        {"rlimit type pattern",
         {{"/process/rlimits/0/type", R"("nofile")"}},
         "/process/rlimits/0/type",
         "does not match the expected pattern",
         true},
        {"negative rlimit",
         {{"/process/rlimits/0/soft", "-1"}},
         "/process/rlimits/0/soft",
         "out of range (expected >= 0)",
         true},
        {"mount destination missing",
         {{"/mounts/0/destination", nullptr}},
         "/mounts/0/destination",
         "required member missing",
         true},
        {"unknown seccomp action",
         {{"/linux/seccomp/defaultAction", R"("SCMP_ACT_BOGUS")"}},
         "/linux/seccomp/defaultAction",
         "unknown seccomp action \"SCMP_ACT_BOGUS\"",
         true},
        {"empty syscall names",
         {{"/linux/seccomp/syscalls/0/names", "[]"}},
         "/linux/seccomp/syscalls/0/names",
         "expected at least 1 item",
         true},
        {"unknown rootfsPropagation",
         {{"/linux/rootfsPropagation", R"("rprivate")"}},
         "/linux/rootfsPropagation",
         "unknown rootfs propagation \"rprivate\"",
         true},
        {"device type pattern",
         {{"/linux/devices/0/type", R"("x")"}},
         "/linux/devices/0/type",
         "does not match the expected pattern",
         true},
        {"device fileMode too big",
         {{"/linux/devices/0/fileMode", "1000"}},
         "/linux/devices/0/fileMode",
         "expected <= 511",
         true},
        {"negative uid", {{"/process/user/uid", "-5"}}, "/process/user/uid", "out of range", true},
        {"annotation not a string",
         {{"/annotations", R"({"a": "b", "foo": 1})"}},
         "/annotations/foo",
         "expected string, got integer",
         true},
        {"hugepage size pattern",
         {{"/linux/resources/hugepageLimits/0/pageSize", R"("2mb")"}},
         "/linux/resources/hugepageLimits/0/pageSize",
         "does not match the expected pattern",
         true},
        {"pids limit missing",
         {{"/linux/resources/pids", "{}"}},
         "/linux/resources/pids/limit",
         "required member missing",
         true},
        {"unknown io class",
         {{"/process/ioPriority", R"({"class": "IOPRIO_CLASS_FOO"})"}},
         "/process/ioPriority/class",
         "unknown class \"IOPRIO_CLASS_FOO\" (expected one of: IOPRIO_CLASS_BE, IOPRIO_CLASS_IDLE, "
         "IOPRIO_CLASS_RT)",
         true},
        {"weightDevice without minor",
         {{"/linux/resources/blockIO/weightDevice/0", R"({"major": 8, "weight": 10})"}},
         "/linux/resources/blockIO/weightDevice/0/minor",
         "required member missing",
         true},
        {"hook timeout zero",
         {{"/hooks/prestart/0/timeout", "0"}},
         "/hooks/prestart/0/timeout",
         "expected >= 1",
         true},
        {"unknown scheduler policy",
         {{"/process/scheduler", R"({"policy": "SCHED_FOO"})"}},
         "/process/scheduler/policy",
         "unknown scheduler policy \"SCHED_FOO\"",
         true},
        {"mapping size beyond uint32",
         {{"/linux/uidMappings", R"([{"containerID": 0, "hostID": 0, "size": 4294967296}])"}},
         "/linux/uidMappings/0/size",
         "expected <= 4294967295",
         true},
        {"capabilities not an array",
         {{"/process/capabilities/bounding", R"("CAP_KILL")"}},
         "/process/capabilities/bounding",
         "expected array, got string",
         true},
        {"root path not a string",
         {{"/root/path", "3"}},
         "/root/path",
         "expected string, got integer",
         true},
        {"unknown memory policy mode",
         {{"/linux/memoryPolicy", R"({"mode": "MPOL_X"})"}},
         "/linux/memoryPolicy/mode",
         "unknown memory policy mode \"MPOL_X\"",
         true},
        {"namespace without type",
         {{"/linux/namespaces/0", R"({"path": "/proc/1/ns/pid"})"}},
         "/linux/namespaces/0/type",
         "required member missing",
         true},
        // Semantic layer.
        {"ociVersion 2.x",
         {{"/ociVersion", R"("2.0.0")"}},
         "/ociVersion",
         "unsupported ociVersion \"2.0.0\" (expected a SemVer version from 1.0.0 to 1.3.x)",
         false},
        {"ociVersion not semver",
         {{"/ociVersion", R"("1.0")"}},
         "/ociVersion",
         "invalid ociVersion \"1.0\"",
         false},
        {"root missing", {{"/root", nullptr}}, "/root", "root is required on Linux", false},
        {"root path empty", {{"/root/path", R"("")"}}, "/root/path", "must not be empty", false},
        {"relative cwd",
         {{"/process/cwd", R"("tmp")"}},
         "/process/cwd",
         "must be an absolute path",
         false},
        {"empty args",
         {{"/process/args", "[]"}},
         "/process/args",
         "at least one argument is required",
         false},
        {"env without =",
         {{"/process/env/1", R"("NOEQUALS")"}},
         "/process/env/1",
         "expected KEY=VALUE",
         false},
        {"unknown rlimit",
         {{"/process/rlimits/0/type", R"("RLIMIT_FOO")"}},
         "/process/rlimits/0/type",
         "unknown rlimit type \"RLIMIT_FOO\"",
         false},
        {"soft above hard",
         {{"/process/rlimits/0/soft", "2048"}},
         "/process/rlimits/0/soft",
         "soft limit 2048 exceeds hard limit 1024",
         false},
        {"duplicate rlimit",
         {{"/process/rlimits/1", R"({"type": "RLIMIT_NOFILE", "soft": 1, "hard": 1})"}},
         "/process/rlimits/1/type",
         "duplicate rlimit type",
         false},
        {"malformed capability",
         {{"/process/capabilities/effective/0", R"("kill")"}},
         "/process/capabilities/effective/0",
         "invalid capability name \"kill\"",
         false},
        {"duplicate namespace",
         {{"/linux/namespaces/5", R"({"type": "pid"})"}},
         "/linux/namespaces/5/type",
         "duplicate namespace type \"pid\"",
         false},
        {"relative namespace path",
         {{"/linux/namespaces/0/path", R"("proc/1/ns/pid")"}},
         "/linux/namespaces/0/path",
         "must be absolute",
         false},
        {"user namespace without mappings",
         {{"/linux/namespaces/5", R"({"type": "user"})"}},
         "/linux/uidMappings",
         "requires uidMappings",
         false},
        {"user namespace without gid mappings",
         {{"/linux/namespaces/5", R"({"type": "user"})"},
          {"/linux/uidMappings", R"([{"containerID": 0, "hostID": 1000, "size": 1}])"}},
         "/linux/gidMappings",
         "requires gidMappings",
         false},
        {"mappings without user namespace",
         {{"/linux/uidMappings", R"([{"containerID": 0, "hostID": 1000, "size": 1}])"}},
         "/linux/uidMappings",
         "require a user namespace",
         false},
        {"timeOffsets without time namespace",
         {{"/linux/timeOffsets", R"({"monotonic": {"secs": 1}})"}},
         "/linux/timeOffsets",
         "require a new time namespace",
         false},
        {"unknown clock",
         {{"/linux/namespaces/5", R"({"type": "time"})"},
          {"/linux/timeOffsets", R"({"realtime": {"secs": 1}})"}},
         "/linux/timeOffsets/realtime",
         "unknown clock \"realtime\"",
         false},
        {"relative mount destination",
         {{"/mounts/0/destination", R"("proc")"}},
         "/mounts/0/destination",
         "must be an absolute path",
         false},
        {"empty mount destination",
         {{"/mounts/0/destination", R"("")"}},
         "/mounts/0/destination",
         "must not be empty",
         false},
        {"mount uidMappings alone",
         {{"/mounts/1/uidMappings", R"([{"containerID": 0, "hostID": 1000, "size": 10}])"}},
         "/mounts/1/gidMappings",
         "uidMappings require gidMappings",
         false},
        {"idmap mount without any mapping",
         {{"/mounts/1/options", R"(["rbind", "idmap"])"}},
         "/mounts/1/options",
         "an idmap mount needs uidMappings/gidMappings",
         false},
        {"relative hook path",
         {{"/hooks/prestart/0/path", R"("hook")"}},
         "/hooks/prestart/0/path",
         "must be an absolute path",
         false},
        {"relative device path",
         {{"/linux/devices/0/path", R"("dev/fuse")"}},
         "/linux/devices/0/path",
         "must be absolute",
         false},
        {"char device without major",
         {{"/linux/devices/0/major", nullptr}},
         "/linux/devices/0/major",
         "required for device type c",
         false},
        {"device rule access",
         {{"/linux/resources/devices/1/access", R"("rwx")"}},
         "/linux/resources/devices/1/access",
         "invalid access \"rwx\"",
         false},
        {"device rule type",
         {{"/linux/resources/devices/1/type", R"("z")"}},
         "/linux/resources/devices/1/type",
         "unknown device type \"z\"",
         false},
        {"empty sysctl key",
         {{"/linux/sysctl", R"({"": "1"})"}},
         "/linux/sysctl/",
         "invalid sysctl name",
         false},
        {"hostname without uts",
         {{"/linux/namespaces/3", nullptr}},
         "/hostname",
         "requires a uts namespace",
         false},
        {"domainname without uts",
         {{"/hostname", nullptr},
          {"/domainname", R"("example.org")"},
          {"/linux/namespaces/3", nullptr}},
         "/domainname",
         "requires a uts namespace",
         false},
        {"relative masked path",
         {{"/linux/maskedPaths/0", R"("proc/kcore")"}},
         "/linux/maskedPaths/0",
         "must be absolute",
         false},
        {"relative readonly path",
         {{"/linux/readonlyPaths/0", R"("proc/sys")"}},
         "/linux/readonlyPaths/0",
         "must be absolute",
         false},
        {"errnoRet with allow",
         {{"/linux/seccomp/syscalls/0/errnoRet", "1"}},
         "/linux/seccomp/syscalls/0/errnoRet",
         "only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE",
         false},
        {"notify without listener",
         {{"/linux/seccomp/syscalls/0/action", R"("SCMP_ACT_NOTIFY")"}},
         "/linux/seccomp/listenerPath",
         "SCMP_ACT_NOTIFY requires listenerPath",
         false},
        {"relative listener path",
         {{"/linux/seccomp/listenerPath", R"("seccomp.sock")"}},
         "/linux/seccomp/listenerPath",
         "must be absolute",
         false},
        {"syscall arg index",
         {{"/linux/seccomp/syscalls/0/args", R"([{"index": 6, "value": 1, "op": "SCMP_CMP_EQ"}])"}},
         "/linux/seccomp/syscalls/0/args/0/index",
         "out of range (expected 0..5)",
         false},
        {"deadline without parameters",
         {{"/process/scheduler", R"({"policy": "SCHED_DEADLINE", "runtime": 1000})"}},
         "/process/scheduler/deadline",
         "SCHED_DEADLINE requires a non-zero deadline",
         false},
        {"priority with SCHED_OTHER",
         {{"/process/scheduler", R"({"policy": "SCHED_OTHER", "priority": 5})"}},
         "/process/scheduler/priority",
         "only valid with SCHED_FIFO or SCHED_RR",
         false},
        {"io priority range",
         {{"/process/ioPriority", R"({"class": "IOPRIO_CLASS_BE", "priority": 9})"}},
         "/process/ioPriority/priority",
         "out of range (expected 0..7)",
         false},
        {"cpu affinity range reversed",
         {{"/process/execCPUAffinity", R"({"initial": "3-1"})"}},
         "/process/execCPUAffinity/initial",
         "invalid CPU list \"3-1\"",
         false},
        {"personality flag",
         {{"/linux/personality", R"({"domain": "LINUX", "flags": ["ADDR_NO_RANDOMIZE"]})"}},
         "/linux/personality/flags/0",
         "unsupported personality flag",
         false},
        {"swap below limit",
         {{"/linux/resources/memory", R"({"limit": 1000000, "swap": 500000})"}},
         "/linux/resources/memory/swap",
         "must not be below limit",
         false},
        {"realtime runtime above period",
         {{"/linux/resources/cpu", R"({"realtimeRuntime": 2000, "realtimePeriod": 1000})"}},
         "/linux/resources/cpu/realtimeRuntime",
         "must not exceed realtimePeriod",
         false},
        {"net device target name",
         {{"/linux/netDevices", R"({"eth0": {"name": "a/b"}})"}},
         "/linux/netDevices/eth0/name",
         "invalid network interface name \"a/b\"",
         false},
        {"net device name too long",
         {{"/linux/netDevices", R"({"averyveryverylongname0": {}})"}},
         "/linux/netDevices/averyveryverylongname0",
         "invalid network interface name",
         false},
        {"oomScoreAdj range",
         {{"/process/oomScoreAdj", "5000"}},
         "/process/oomScoreAdj",
         "out of range (expected -1000..1000)",
         false},
        {"memory policy without nodes",
         {{"/linux/memoryPolicy", R"({"mode": "MPOL_BIND"})"}},
         "/linux/memoryPolicy/nodes",
         "MPOL_BIND requires nodes",
         false},
        {"rdma without limits",
         {{"/linux/resources/rdma", R"({"mlx5_1": {}})"}},
         "/linux/resources/rdma/mlx5_1",
         "at least one of hcaHandles or hcaObjects",
         false},
        {"weight device without weights",
         {{"/linux/resources/blockIO/weightDevice/0", R"({"major": 8, "minor": 0})"}},
         "/linux/resources/blockIO/weightDevice/0",
         "at least one of weight or leafWeight",
         false},
    };
    return all;
}

}  // namespace

TEST_CASE("the base config of the bad-config table is valid", "[spec][bad]") {
    CHECK_NOTHROW(hull::spec::parse_config(kBase));
}

TEST_CASE("bad configs are rejected with the exact pointer", "[spec][bad]") {
    REQUIRE(cases().size() >= 45);
    for (const auto& c : cases()) {
        INFO(c.name);
        std::string json = apply(c.changes);
        rapidjson::Document doc;
        doc.Parse(json.c_str());
        bool schema_rejects = false;
        try {
            hull::spec::validate_config_schema(doc, "config.json");
        } catch (const ConfigError&) {
            schema_rejects = true;
        }
        CHECK(schema_rejects == c.schema_layer);
        try {
            hull::spec::parse_config(json);
            FAIL_CHECK("accepted: " << json);
        } catch (const ConfigError& e) {
            INFO(e.what());
            CHECK(e.pointer() == c.pointer);
            CHECK_THAT(e.message(), Catch::Contains(c.fragment));
            CHECK(std::string(e.what()) ==
                  std::string("config.json: ") + c.pointer + ": " + e.message());
            CHECK(std::string(e.what()).find('\n') == std::string::npos);
        }
    }
}

TEST_CASE("empty args are allowed when the caller says so", "[spec][bad]") {
    std::string json = apply({{"/process/args", "[]"}});
    CHECK_THROWS_AS(hull::spec::parse_config(json), ConfigError);
    hull::spec::ValidateOptions options;
    options.allow_empty_args = true;
    CHECK_NOTHROW(hull::spec::parse_config(json, "config.json", options));
}

TEST_CASE("the first of several errors is thrown, all are collected", "[spec][bad]") {
    std::string json = apply({{"/process/cwd", R"("tmp")"}, {"/linux/maskedPaths/0", R"("x")"}});
    try {
        hull::spec::parse_config(json);
        FAIL("accepted");
    } catch (const ConfigError& e) {
        CHECK(e.pointer() == "/process/cwd");
    }
    hull::spec::Config config = hull::spec::parse_config(kBase);
    config.process->cwd = "tmp";
    config.linux->masked_paths[0] = "x";
    auto errors = hull::spec::config_errors(config, "config.json");
    REQUIRE(errors.size() == 2);
    CHECK(errors[0].pointer() == "/process/cwd");
    CHECK(errors[1].pointer() == "/linux/maskedPaths/0");
}

TEST_CASE("invalid JSON is a one-line error without a pointer", "[spec][bad]") {
    try {
        hull::spec::parse_config("{\"ociVersion\": \"1.0.0\",\n}", "config.json");
        FAIL("accepted");
    } catch (const ConfigError& e) {
        CHECK(e.pointer().empty());
        CHECK_THAT(e.what(), Catch::StartsWith("config.json: invalid JSON at offset"));
    }
}

TEST_CASE("unknown but well-formed capabilities are warnings, not errors", "[spec][bad]") {
    std::string json = apply({{"/process/capabilities/bounding/1", R"("CAP_FUTURE_THING")"}});
    auto config = hull::spec::parse_config(json);
    auto warnings = hull::spec::config_warnings(config, "config.json");
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0] ==
          "config.json: /process/capabilities/bounding/1: unknown capability \"CAP_FUTURE_THING\" "
          "ignored");
    CHECK(hull::spec::config_warnings(hull::spec::parse_config(kBase), "config.json").empty());
}
