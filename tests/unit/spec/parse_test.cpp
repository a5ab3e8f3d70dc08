// parse_config converts every field of the model; load_config, parse_process and the default
// spec work end to end.
#include <catch2/catch.hpp>
#include <string>

#include "base/file.hpp"
#include "spec/default_spec.hpp"
#include "spec/parse.hpp"
#include "support/temp_dir.hpp"

using hull::spec::Config;
using hull::spec::ConfigError;

namespace {

constexpr const char* kEverything = R"({
    "ociVersion": "1.3.0",
    "root": {"path": "/var/lib/box/rootfs", "readonly": true},
    "hostname": "box",
    "domainname": "example.org",
    "annotations": {"com.example.a": "1", "com.example.b": "two"},
    "mounts": [
        {"destination": "/proc", "type": "proc", "source": "proc"},
        {
            "destination": "/data",
            "type": "bind",
            "source": "/srv/data",
            "options": ["rbind", "idmap", "ro"],
            "uidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}],
            "gidMappings": [{"containerID": 0, "hostID": 200000, "size": 1000}]
        }
    ],
    "process": {
        "terminal": true,
        "consoleSize": {"height": 25, "width": 80},
        "user": {"uid": 1000, "gid": 1001, "umask": 18, "additionalGids": [5, 6], "username": "u"},
        "args": ["/bin/app", "--flag"],
        "commandLine": "app.exe",
        "env": ["PATH=/bin", "A=b=c"],
        "cwd": "/work",
        "capabilities": {
            "bounding": ["CAP_KILL", "CAP_CHOWN"],
            "effective": [],
            "permitted": ["CAP_KILL"],
            "ambient": ["CAP_NET_BIND_SERVICE"]
        },
        "rlimits": [
            {"type": "RLIMIT_NOFILE", "soft": 1024, "hard": 4096},
            {"type": "RLIMIT_CORE", "soft": 0, "hard": 18446744073709551615}
        ],
        "noNewPrivileges": true,
        "apparmorProfile": "box-profile",
        "oomScoreAdj": -500,
        "selinuxLabel": "system_u:system_r:container_t:s0",
        "ioPriority": {"class": "IOPRIO_CLASS_BE", "priority": 4},
        "scheduler": {
            "policy": "SCHED_DEADLINE",
            "nice": 0,
            "flags": ["SCHED_FLAG_RESET_ON_FORK", "SCHED_FLAG_RECLAIM"],
            "runtime": 1000,
            "deadline": 2000,
            "period": 3000
        },
        "execCPUAffinity": {"initial": "0-1, 3", "final": "2"}
    },
    "hooks": {
        "prestart": [{"path": "/hooks/pre", "args": ["pre", "x"], "env": ["K=V"], "timeout": 7}],
        "createRuntime": [{"path": "/hooks/cr"}],
        "createContainer": [{"path": "/hooks/cc"}],
        "startContainer": [{"path": "/hooks/sc"}],
        "poststart": [{"path": "/hooks/ps"}],
        "poststop": [{"path": "/hooks/pst1"}, {"path": "/hooks/pst2"}]
    },
    "linux": {
        "namespaces": [
            {"type": "pid"},
            {"type": "network", "path": "/var/run/netns/box"},
            {"type": "ipc"},
            {"type": "uts"},
            {"type": "mount"},
            {"type": "user"},
            {"type": "cgroup"},
            {"type": "time"}
        ],
        "uidMappings": [{"containerID": 0, "hostID": 1000, "size": 32000}],
        "gidMappings": [{"containerID": 0, "hostID": 2000, "size": 16000}],
        "timeOffsets": {
            "monotonic": {"secs": -86400, "nanosecs": 500},
            "boottime": {"secs": 7}
        },
        "devices": [
            {"type": "c", "path": "/dev/fuse", "major": 10, "minor": 229, "fileMode": 438,
             "uid": 0, "gid": 5},
            {"type": "p", "path": "/dev/fifo"}
        ],
        "netDevices": {"eth1": {"name": "ceth1"}, "eth2": {}},
        "cgroupsPath": "/box/web",
        "resources": {
            "devices": [
                {"allow": false, "access": "rwm"},
                {"allow": true, "type": "c", "major": 10, "minor": 229, "access": "rw"}
            ],
            "memory": {
                "limit": 536870912,
                "reservation": 268435456,
                "swap": 1073741824,
                "kernel": -1,
                "kernelTCP": 1048576,
                "swappiness": 10,
                "disableOOMKiller": true,
                "useHierarchy": false,
                "checkBeforeUpdate": true
            },
            "cpu": {
                "shares": 512,
                "quota": 50000,
                "burst": 10000,
                "period": 100000,
                "realtimeRuntime": 950,
                "realtimePeriod": 1000,
                "cpus": "0-1",
                "mems": "0",
                "idle": 1
            },
            "pids": {"limit": 64},
            "blockIO": {
                "weight": 300,
                "leafWeight": 200,
                "weightDevice": [{"major": 8, "minor": 0, "weight": 500, "leafWeight": 300}],
                "throttleReadBpsDevice": [{"major": 8, "minor": 1, "rate": 100}],
                "throttleWriteBpsDevice": [{"major": 8, "minor": 2, "rate": 200}],
                "throttleReadIOPSDevice": [{"major": 8, "minor": 3, "rate": 300}],
                "throttleWriteIOPSDevice": [{"major": 8, "minor": 4, "rate": 400}]
            },
            "hugepageLimits": [{"pageSize": "2MB", "limit": 209715200}],
            "network": {"classID": 1048577, "priorities": [{"name": "eth0", "priority": 500}]},
            "rdma": {"mlx5_1": {"hcaHandles": 3, "hcaObjects": 10000}},
            "unified": {"memory.high": "500M"}
        },
        "rootfsPropagation": "slave",
        "seccomp": {
            "defaultAction": "SCMP_ACT_ERRNO",
            "defaultErrnoRet": 1,
            "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
            "flags": ["SECCOMP_FILTER_FLAG_LOG"],
            "listenerPath": "/run/seccomp.sock",
            "listenerMetadata": "meta",
            "syscalls": [
                {"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"},
                {
                    "names": ["personality"],
                    "action": "SCMP_ACT_ERRNO",
                    "errnoRet": 38,
                    "args": [{"index": 0, "value": 8, "valueTwo": 9, "op": "SCMP_CMP_MASKED_EQ"}]
                },
                {"names": ["mkdir"], "action": "SCMP_ACT_NOTIFY"}
            ]
        },
        "sysctl": {"net.ipv4.ip_forward": "1"},
        "maskedPaths": ["/proc/kcore"],
        "readonlyPaths": ["/proc/sys", "/proc/bus"],
        "mountLabel": "system_u:object_r:container_file_t:s0",
        "intelRdt": {
            "closID": "guaranteed_group",
            "schemata": ["L3:0=7f"],
            "l3CacheSchema": "L3:0=ffff0",
            "memBwSchema": "MB:0=20",
            "enableMonitoring": true
        },
        "memoryPolicy": {"mode": "MPOL_INTERLEAVE", "nodes": "0-1", "flags": ["MPOL_F_STATIC_NODES"]},
        "personality": {"domain": "LINUX32"}
    }
})";

}  // namespace

TEST_CASE("parse_config fills every field", "[spec][parse]") {
    Config c = hull::spec::parse_config(kEverything);
    CHECK(c.oci_version == "1.3.0");
    REQUIRE(c.root);
    CHECK(c.root->path == "/var/lib/box/rootfs");
    CHECK(c.root->readonly);
    CHECK(c.hostname == "box");
    CHECK(c.domainname == "example.org");
    CHECK(c.annotations.size() == 2);
    CHECK(c.annotations.at("com.example.b") == "two");

    REQUIRE(c.mounts.size() == 2);
    CHECK(c.mounts[0].destination == "/proc");
    CHECK(c.mounts[0].type == "proc");
    CHECK(c.mounts[0].source == "proc");
    CHECK(c.mounts[0].options.empty());
    const auto& m = c.mounts[1];
    CHECK(m.options == std::vector<std::string>{"rbind", "idmap", "ro"});
    REQUIRE(m.uid_mappings.size() == 1);
    CHECK(m.uid_mappings[0].host_id == 100000);
    CHECK(m.uid_mappings[0].size == 65536);
    REQUIRE(m.gid_mappings.size() == 1);
    CHECK(m.gid_mappings[0].host_id == 200000);
    CHECK(m.gid_mappings[0].size == 1000);

    REQUIRE(c.process);
    const auto& p = *c.process;
    CHECK(p.terminal);
    REQUIRE(p.console_size);
    CHECK(p.console_size->height == 25);
    CHECK(p.console_size->width == 80);
    CHECK(p.user.uid == 1000);
    CHECK(p.user.gid == 1001);
    CHECK(p.user.umask == 18u);
    CHECK(p.user.additional_gids == std::vector<std::uint32_t>{5, 6});
    CHECK(p.user.username == "u");
    CHECK(p.args == std::vector<std::string>{"/bin/app", "--flag"});
    CHECK(p.command_line == "app.exe");
    CHECK(p.env == std::vector<std::string>{"PATH=/bin", "A=b=c"});
    CHECK(p.cwd == "/work");
    REQUIRE(p.capabilities);
    CHECK(p.capabilities->bounding == std::vector<std::string>{"CAP_KILL", "CAP_CHOWN"});
    REQUIRE(p.capabilities->effective);
    CHECK(p.capabilities->effective->empty());
    CHECK_FALSE(p.capabilities->inheritable.has_value());
    CHECK(p.capabilities->permitted == std::vector<std::string>{"CAP_KILL"});
    CHECK(p.capabilities->ambient == std::vector<std::string>{"CAP_NET_BIND_SERVICE"});
    REQUIRE(p.rlimits.size() == 2);
    CHECK(p.rlimits[0].type == "RLIMIT_NOFILE");
    CHECK(p.rlimits[0].soft == 1024);
    CHECK(p.rlimits[0].hard == 4096);
    CHECK(p.rlimits[1].hard == UINT64_MAX);
    CHECK(p.no_new_privileges);
    CHECK(p.apparmor_profile == "box-profile");
    CHECK(p.oom_score_adj == -500);
    CHECK(p.selinux_label == "system_u:system_r:container_t:s0");
    REQUIRE(p.io_priority);
    CHECK(p.io_priority->klass == "IOPRIO_CLASS_BE");
    CHECK(p.io_priority->priority == 4);
    REQUIRE(p.scheduler);
    CHECK(p.scheduler->policy == "SCHED_DEADLINE");
    CHECK(p.scheduler->nice == 0);
    CHECK_FALSE(p.scheduler->priority.has_value());
    CHECK(p.scheduler->flags.size() == 2);
    CHECK(p.scheduler->runtime == 1000u);
    CHECK(p.scheduler->deadline == 2000u);
    CHECK(p.scheduler->period == 3000u);
    REQUIRE(p.exec_cpu_affinity);
    CHECK(p.exec_cpu_affinity->initial == "0-1, 3");
    CHECK(p.exec_cpu_affinity->final == "2");

    REQUIRE(c.hooks);
    REQUIRE(c.hooks->prestart.size() == 1);
    CHECK(c.hooks->prestart[0].path == "/hooks/pre");
    CHECK(c.hooks->prestart[0].args == std::vector<std::string>{"pre", "x"});
    CHECK(c.hooks->prestart[0].env == std::vector<std::string>{"K=V"});
    CHECK(c.hooks->prestart[0].timeout == 7);
    CHECK_FALSE(c.hooks->create_runtime.at(0).timeout.has_value());
    CHECK(c.hooks->create_runtime.at(0).path == "/hooks/cr");
    CHECK(c.hooks->create_container.at(0).path == "/hooks/cc");
    CHECK(c.hooks->start_container.at(0).path == "/hooks/sc");
    CHECK(c.hooks->poststart.at(0).path == "/hooks/ps");
    REQUIRE(c.hooks->poststop.size() == 2);
    CHECK(c.hooks->poststop[1].path == "/hooks/pst2");

    REQUIRE(c.linux);
    const auto& l = *c.linux;
    REQUIRE(l.namespaces.size() == 8);
    CHECK(l.namespaces[1].type == "network");
    CHECK(l.namespaces[1].path == "/var/run/netns/box");
    CHECK(c.has_namespace("time"));
    CHECK(c.find_namespace("user") == &l.namespaces[5]);
    CHECK(l.uid_mappings.at(0).host_id == 1000);
    CHECK(l.uid_mappings.at(0).size == 32000);
    CHECK(l.gid_mappings.at(0).host_id == 2000);
    CHECK(l.time_offsets.at("monotonic").secs == -86400);
    CHECK(l.time_offsets.at("monotonic").nanosecs == 500);
    CHECK(l.time_offsets.at("boottime").secs == 7);
    REQUIRE(l.devices.size() == 2);
    CHECK(l.devices[0].type == "c");
    CHECK(l.devices[0].major == 10);
    CHECK(l.devices[0].minor == 229);
    CHECK(l.devices[0].file_mode == 438u);
    CHECK(l.devices[0].uid == 0u);
    CHECK(l.devices[0].gid == 5u);
    CHECK(l.devices[1].type == "p");
    CHECK_FALSE(l.devices[1].file_mode.has_value());
    CHECK(l.net_devices.at("eth1").name == "ceth1");
    CHECK(l.net_devices.at("eth2").name.empty());
    CHECK(l.cgroups_path == "/box/web");

    REQUIRE(l.resources);
    const auto& r = *l.resources;
    REQUIRE(r.devices.size() == 2);
    CHECK_FALSE(r.devices[0].allow);
    CHECK_FALSE(r.devices[0].major.has_value());
    CHECK(r.devices[1].allow);
    CHECK(r.devices[1].type == "c");
    CHECK(r.devices[1].major == 10);
    CHECK(r.devices[1].minor == 229);
    CHECK(r.devices[1].access == "rw");
    REQUIRE(r.memory);
    CHECK(r.memory->limit == 536870912);
    CHECK(r.memory->reservation == 268435456);
    CHECK(r.memory->swap == 1073741824);
    CHECK(r.memory->kernel == -1);
    CHECK(r.memory->kernel_tcp == 1048576);
    CHECK(r.memory->swappiness == 10u);
    CHECK(r.memory->disable_oom_killer == true);
    CHECK(r.memory->use_hierarchy == false);
    CHECK(r.memory->check_before_update == true);
    REQUIRE(r.cpu);
    CHECK(r.cpu->shares == 512u);
    CHECK(r.cpu->quota == 50000);
    CHECK(r.cpu->burst == 10000u);
    CHECK(r.cpu->period == 100000u);
    CHECK(r.cpu->realtime_runtime == 950);
    CHECK(r.cpu->realtime_period == 1000u);
    CHECK(r.cpu->cpus == "0-1");
    CHECK(r.cpu->mems == "0");
    CHECK(r.cpu->idle == 1);
    REQUIRE(r.pids);
    CHECK(r.pids->limit == 64);
    REQUIRE(r.block_io);
    CHECK(r.block_io->weight == 300);
    CHECK(r.block_io->leaf_weight == 200);
    REQUIRE(r.block_io->weight_device.size() == 1);
    CHECK(r.block_io->weight_device[0].major == 8);
    CHECK(r.block_io->weight_device[0].weight == 500);
    CHECK(r.block_io->weight_device[0].leaf_weight == 300);
    CHECK(r.block_io->throttle_read_bps_device.at(0).rate == 100u);
    CHECK(r.block_io->throttle_write_bps_device.at(0).minor == 2);
    CHECK(r.block_io->throttle_read_iops_device.at(0).rate == 300u);
    CHECK(r.block_io->throttle_write_iops_device.at(0).rate == 400u);
    REQUIRE(r.hugepage_limits.size() == 1);
    CHECK(r.hugepage_limits[0].page_size == "2MB");
    CHECK(r.hugepage_limits[0].limit == 209715200u);
    REQUIRE(r.network);
    CHECK(r.network->class_id == 1048577u);
    CHECK(r.network->priorities.at(0).name == "eth0");
    CHECK(r.network->priorities.at(0).priority == 500u);
    CHECK(r.rdma.at("mlx5_1").hca_handles == 3u);
    CHECK(r.rdma.at("mlx5_1").hca_objects == 10000u);
    CHECK(r.unified.at("memory.high") == "500M");

    CHECK(l.rootfs_propagation == "slave");
    REQUIRE(l.seccomp);
    const auto& s = *l.seccomp;
    CHECK(s.default_action == "SCMP_ACT_ERRNO");
    CHECK(s.default_errno_ret == 1u);
    CHECK(s.architectures == std::vector<std::string>{"SCMP_ARCH_X86_64", "SCMP_ARCH_X86"});
    CHECK(s.flags == std::vector<std::string>{"SECCOMP_FILTER_FLAG_LOG"});
    CHECK(s.listener_path == "/run/seccomp.sock");
    CHECK(s.listener_metadata == "meta");
    REQUIRE(s.syscalls.size() == 3);
    CHECK(s.syscalls[0].names == std::vector<std::string>{"read", "write"});
    CHECK_FALSE(s.syscalls[0].errno_ret.has_value());
    CHECK(s.syscalls[1].errno_ret == 38u);
    REQUIRE(s.syscalls[1].args.size() == 1);
    CHECK(s.syscalls[1].args[0].index == 0u);
    CHECK(s.syscalls[1].args[0].value == 8u);
    CHECK(s.syscalls[1].args[0].value_two == 9u);
    CHECK(s.syscalls[1].args[0].op == "SCMP_CMP_MASKED_EQ");
    CHECK(s.syscalls[2].action == "SCMP_ACT_NOTIFY");
    CHECK(l.sysctl.at("net.ipv4.ip_forward") == "1");
    CHECK(l.masked_paths == std::vector<std::string>{"/proc/kcore"});
    CHECK(l.readonly_paths == std::vector<std::string>{"/proc/sys", "/proc/bus"});
    CHECK(l.mount_label == "system_u:object_r:container_file_t:s0");
    REQUIRE(l.intel_rdt);
    CHECK(l.intel_rdt->clos_id == "guaranteed_group");
    CHECK(l.intel_rdt->schemata == std::vector<std::string>{"L3:0=7f"});
    CHECK(l.intel_rdt->l3_cache_schema == "L3:0=ffff0");
    CHECK(l.intel_rdt->mem_bw_schema == "MB:0=20");
    CHECK(l.intel_rdt->enable_monitoring == true);
    REQUIRE(l.memory_policy);
    CHECK(l.memory_policy->mode == "MPOL_INTERLEAVE");
    CHECK(l.memory_policy->nodes == "0-1");
    CHECK(l.memory_policy->flags == std::vector<std::string>{"MPOL_F_STATIC_NODES"});
    REQUIRE(l.personality);
    CHECK(l.personality->domain == "LINUX32");
    CHECK(l.personality->flags.empty());
}

TEST_CASE("absent optional members stay absent", "[spec][parse]") {
    Config c = hull::spec::parse_config(
        R"({"ociVersion":"1.0.0","root":{"path":"rootfs"},"process":{"cwd":"/","args":["sh"]}})");
    REQUIRE(c.process);
    CHECK_FALSE(c.process->capabilities.has_value());
    CHECK_FALSE(c.process->oom_score_adj.has_value());
    CHECK_FALSE(c.process->console_size.has_value());
    CHECK_FALSE(c.process->user.umask.has_value());
    CHECK_FALSE(c.hooks.has_value());
    CHECK_FALSE(c.linux.has_value());
    CHECK_FALSE(c.has_namespace("pid"));
    CHECK(c.find_namespace("pid") == nullptr);
}

TEST_CASE("values the schema allows but hull cannot hold are errors", "[spec][parse]") {
    try {
        hull::spec::parse_config(
            R"({"ociVersion":"1.0.0","root":{"path":"r"},"process":{"cwd":"/","args":["a"],)"
            R"("oomScoreAdj":99999999999}})");
        FAIL("accepted");
    } catch (const ConfigError& e) {
        CHECK(e.pointer() == "/process/oomScoreAdj");
        CHECK_THAT(e.message(), Catch::Contains("expected an integer in range"));
    }
}

TEST_CASE("the default spec passes parse_config", "[spec][parse]") {
    std::string json = hull::spec::default_config_json();
    Config c = hull::spec::parse_config(json);
    CHECK(c.oci_version == "1.3.0");
    REQUIRE(c.process);
    CHECK(c.process->terminal);
    CHECK(c.process->args == std::vector<std::string>{"sh"});
    CHECK(c.process->cwd == "/");
    CHECK(c.process->no_new_privileges);
    REQUIRE(c.process->capabilities);
    CHECK(c.process->capabilities->bounding ==
          std::vector<std::string>{"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"});
    CHECK_FALSE(c.process->capabilities->inheritable.has_value());
    REQUIRE(c.process->rlimits.size() == 1);
    CHECK(c.process->rlimits[0].type == "RLIMIT_NOFILE");
    REQUIRE(c.root);
    CHECK(c.root->path == "rootfs");
    CHECK(c.root->readonly);
    CHECK(c.hostname == "hull");
    CHECK(c.mounts.size() == 7);
    CHECK(c.mounts.back().destination == "/sys/fs/cgroup");
    CHECK(c.has_namespace("pid"));
    CHECK(c.has_namespace("cgroup"));
    CHECK_FALSE(c.has_namespace("user"));
    REQUIRE(c.linux->resources);
    REQUIRE(c.linux->resources->devices.size() == 1);
    CHECK_FALSE(c.linux->resources->devices[0].allow);
    CHECK(c.linux->resources->devices[0].access == "rwm");
    CHECK_FALSE(c.linux->masked_paths.empty());
    CHECK_FALSE(c.linux->readonly_paths.empty());
}

TEST_CASE("load_config reads a file and names it on failure", "[spec][parse]") {
    hull::test::TempDir dir("hull-spec");
    std::string path = dir / "config.json";
    hull::write_file(path, hull::spec::default_config_json());
    CHECK(hull::spec::load_config(path).hostname == "hull");

    hull::write_file(path, R"({"ociVersion":"1.0.0","root":{"path":""}})");
    try {
        hull::spec::load_config(path);
        FAIL("accepted");
    } catch (const ConfigError& e) {
        CHECK(std::string(e.what()) == "config.json: /root/path: root path must not be empty");
    }

    std::string missing = dir / "nope.json";
    try {
        hull::spec::load_config(missing);
        FAIL("read a missing file");
    } catch (const hull::Error& e) {
        CHECK_THAT(e.what(), Catch::Contains(missing));
    }
}

TEST_CASE("parse_process reads an exec --process file", "[spec][parse]") {
    auto p = hull::spec::parse_process(
        R"({"cwd":"/tmp","args":["ls","-l"],"env":["A=1"],"user":{"uid":5},"terminal":true})",
        "process.json");
    CHECK(p.cwd == "/tmp");
    CHECK(p.args == std::vector<std::string>{"ls", "-l"});
    CHECK(p.user.uid == 5);
    CHECK(p.terminal);

    auto error_of = [](const char* json) -> std::string {
        try {
            hull::spec::parse_process(json, "process.json");
        } catch (const ConfigError& e) {
            return e.what();
        }
        return "";
    };
    CHECK(error_of(R"({"args":["ls"]})") == "process.json: /cwd: required member missing");
    CHECK(error_of(R"({"cwd":"tmp","args":["ls"]})") ==
          "process.json: /cwd: cwd \"tmp\" must be an absolute path");
    CHECK(error_of(R"({"cwd":"/","args":[]})") ==
          "process.json: /args: at least one argument is required (the program to run)");
    CHECK(
        error_of(R"({"cwd":"/","args":["a"],"rlimits":[{"type":"RLIMIT_X","soft":1,"hard":1}]})") ==
        "process.json: /rlimits/0/type: unknown rlimit type \"RLIMIT_X\" (expected RLIMIT_CPU "
        "... RLIMIT_RTTIME, see getrlimit(2))");
    CHECK_THAT(error_of("[1,"), Catch::StartsWith("process.json: invalid JSON at offset"));
}
