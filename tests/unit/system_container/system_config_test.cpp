#include "runtime/system/system_config.hpp"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>

#include "base/error.hpp"
#include "base/file.hpp"
#include "spec/default_spec.hpp"
#include "spec/parse.hpp"
#include "support/temp_dir.hpp"

using namespace hull;
using namespace hull::system_container;

namespace {

spec::Config default_config() {
    spec::ValidateOptions options;
    options.allow_empty_args = true;
    return spec::parse_config(spec::default_config_json(), "config.json", options);
}

void make_executable(const std::string& path, const std::string& content = "#!/bin/sh\n") {
    write_file(path, content, 0755);
}

bool has_env(const spec::Config& c, const std::string& entry) {
    const auto& env = c.process->env;
    return std::find(env.begin(), env.end(), entry) != env.end();
}

const spec::Mount* mount_at(const spec::Config& c, const std::string& destination) {
    for (const auto& m : c.mounts)
        if (m.destination == destination) return &m;
    return nullptr;
}

}  // namespace

TEST_CASE("the mode comes from the flag or the annotation, which must be a boolean") {
    spec::Config c = default_config();
    CHECK_FALSE(system_mode_requested(c, {}));
    SystemFlags flag;
    flag.system_container = true;
    CHECK(system_mode_requested(c, flag));
    c.annotations[kSystemAnnotation] = "true";
    CHECK(system_mode_requested(c, {}));
    c.annotations[kSystemAnnotation] = "false";
    CHECK_FALSE(system_mode_requested(c, {}));
    c.annotations[kSystemAnnotation] = "yes";
    CHECK_THROWS_WITH(system_mode_requested(c, {}),
                      Catch::Contains("/annotations/org.hull.system-container"));
}

TEST_CASE("console buffer sizes and reboot limits: flags over annotations over defaults") {
    CHECK(parse_buffer_size("65536", "x") == 65536);
    CHECK(parse_buffer_size("128K", "x") == 128 * 1024);
    CHECK(parse_buffer_size("2M", "x") == 2 * 1024 * 1024);
    for (const char* bad : {"", "0", "-1", "12Q", "K", "65M", "99999999999999999999"})
        CHECK_THROWS_WITH(parse_buffer_size(bad, "--console-buffer"),
                          Catch::Contains("--console-buffer"));

    spec::Config c = default_config();
    SystemSettings s = system_settings(c, {});
    CHECK(s.console_buffer == kDefaultConsoleBufferBytes);
    CHECK(s.reboot_limit == kDefaultRebootLimit);
    c.annotations[kConsoleBufferAnnotation] = "1M";
    c.annotations[kRebootLimitAnnotation] = "3";
    s = system_settings(c, {});
    CHECK(s.console_buffer == 1024 * 1024);
    CHECK(s.reboot_limit == 3);
    SystemFlags flags;
    flags.console_buffer = 4096;
    flags.reboot_limit = -1;
    s = system_settings(c, flags);
    CHECK(s.console_buffer == 4096);
    CHECK(s.reboot_limit == -1);
    c.annotations[kRebootLimitAnnotation] = "many";
    CHECK_THROWS_WITH(system_settings(c, {}),
                      Catch::Contains("/annotations/org.hull.reboot-limit"));
}

TEST_CASE("init discovery tries /sbin/init, /etc/init, /bin/init in that order") {
    test::TempDir root;
    CHECK_THROWS_WITH(discover_init(root.path()), Catch::Contains("/sbin/init") &&
                                                      Catch::Contains("/etc/init") &&
                                                      Catch::Contains("/bin/init"));
    ::mkdir((root / "bin").c_str(), 0755);
    ::mkdir((root / "etc").c_str(), 0755);
    ::mkdir((root / "sbin").c_str(), 0755);
    make_executable(root / "bin/init");
    CHECK(discover_init(root.path()) == "/bin/init");
    make_executable(root / "etc/init");
    CHECK(discover_init(root.path()) == "/etc/init");
    // Not executable, or not a file: skipped.
    write_file(root / "sbin/init", "", 0644);
    CHECK(discover_init(root.path()) == "/etc/init");
    ::unlink((root / "sbin/init").c_str());
    ::mkdir((root / "sbin/init").c_str(), 0755);
    CHECK(discover_init(root.path()) == "/etc/init");
    ::rmdir((root / "sbin/init").c_str());
    // A symlink is followed inside the rootfs: an absolute target is the rootfs's own.
    REQUIRE(::symlink("/bin/init", (root / "sbin/init").c_str()) == 0);
    CHECK(discover_init(root.path()) == "/sbin/init");
}

TEST_CASE("the init's flavour decides its halt signal") {
    test::TempDir root;
    ::mkdir((root / "sbin").c_str(), 0755);
    ::mkdir((root / "lib").c_str(), 0755);
    make_executable(root / "lib/systemd",
                    "\x7f"
                    "ELF ... SYSTEMD_EXEC_PID ...");
    REQUIRE(::symlink("/lib/systemd", (root / "sbin/init").c_str()) == 0);
    CHECK(detect_init_flavor(root.path(), "/sbin/init") == InitFlavor::systemd);
    make_executable(root / "sbin/busybox-copy",
                    "\x7f"
                    "ELF BusyBox v1.35.0 ...");
    CHECK(detect_init_flavor(root.path(), "/sbin/busybox-copy") == InitFlavor::busybox);
    make_executable(root / "sbin/sysv",
                    "\x7f"
                    "ELF INIT_VERSION=sysvinit-3.06");
    CHECK(detect_init_flavor(root.path(), "/sbin/sysv") == InitFlavor::sysvinit);
    make_executable(root / "sbin/other", "#!/bin/sh\nexec sleep 1d\n");
    CHECK(detect_init_flavor(root.path(), "/sbin/other") == InitFlavor::unknown);
    CHECK(halt_signal(InitFlavor::systemd) == SIGRTMIN + 3);
    CHECK(halt_signal(InitFlavor::busybox) == SIGUSR2);
    CHECK(halt_signal(InitFlavor::sysvinit) == SIGPWR);
    CHECK(halt_signal(InitFlavor::unknown) == SIGPWR);
}

TEST_CASE("a default config gets what an init needs") {
    test::TempDir root;
    ::mkdir((root / "sbin").c_str(), 0755);
    make_executable(root / "sbin/init");
    spec::Config c = default_config();
    c.process->args.clear();
    c.process->terminal = false;
    Logger log;
    SystemAdjustments a = adjust_for_system_container(c, root.path(), "uuid-1", log);
    CHECK(a.init == "/sbin/init");
    CHECK(c.process->args == std::vector<std::string>{"/sbin/init"});
    CHECK(a.halt_signal == SIGPWR);
    CHECK(c.process->terminal);
    CHECK(has_env(c, "container=hull"));
    CHECK(has_env(c, "container_uuid=uuid-1"));
    for (const char* ns : {"pid", "uts", "ipc", "cgroup", "mount"})
        CHECK(c.has_namespace(ns));
    for (const char* d : {"/run", "/run/lock", "/tmp"}) {
        REQUIRE(mount_at(c, d) != nullptr);
        CHECK(mount_at(c, d)->type == "tmpfs");
    }
    const auto& caps = *c.process->capabilities->bounding;
    CHECK(std::find(caps.begin(), caps.end(), "CAP_SYS_ADMIN") != caps.end());
    CHECK(std::find(caps.begin(), caps.end(), "CAP_SYS_BOOT") != caps.end());
}

TEST_CASE("what config.json sets explicitly wins") {
    test::TempDir root;
    spec::Config c = default_config();
    c.process->args = {"/usr/lib/custom-init", "--flag"};
    c.process->env.push_back("container=other");
    c.process->capabilities->bounding = std::vector<std::string>{"CAP_CHOWN"};
    c.mounts.push_back({"/tmp", "bind", "/srv/tmp", {"bind"}});
    c.mounts.push_back({"/run/secrets", "bind", "/srv/secrets", {"bind"}});
    Logger log;
    adjust_for_system_container(c, root.path(), "u", log);
    CHECK(c.process->args[0] == "/usr/lib/custom-init");
    CHECK(has_env(c, "container=other"));
    CHECK_FALSE(has_env(c, "container=hull"));
    CHECK(*c.process->capabilities->bounding == std::vector<std::string>{"CAP_CHOWN"});
    CHECK(mount_at(c, "/tmp")->type == "bind");
    // /run is mounted before /run/secrets, which stays visible on top of it.
    auto index = [&](const std::string& d) {
        for (std::size_t i = 0; i < c.mounts.size(); ++i)
            if (c.mounts[i].destination == d) return i;
        return c.mounts.size();
    };
    CHECK(index("/run") < index("/run/secrets"));
}

TEST_CASE("container uuids are random version 4") {
    std::string a = random_uuid(), b = random_uuid();
    CHECK(a != b);
    REQUIRE(a.size() == 36);
    CHECK(a[14] == '4');
    CHECK(std::string("89ab").find(a[19]) != std::string::npos);
}
