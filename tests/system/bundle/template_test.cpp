// `hull bundle new --template busybox|debian`: the bundles --system-container boots. These
// tests check what the templates make (the boot itself is tested with the runtime); the debian
// ones use the shared rootfs cache (support/system_bundle.hpp), so only a machine's first run
// pays for debootstrap.
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>

#include "base/error.hpp"
#include "base/file.hpp"
#include "bundle/debian_template.hpp"
#include "bundle/template.hpp"
#include "spec/parse.hpp"
#include "spec/validate.hpp"
#include "support/command.hpp"
#include "support/system_bundle.hpp"
#include "support/temp_dir.hpp"

using hull::test::hull_binary;
using hull::test::read_text;
using hull::test::run_command;
using hull::test::TempDir;

namespace {

std::string link_target(const std::string& path) {
    char buf[4096];
    ssize_t n = ::readlink(path.c_str(), buf, sizeof buf);
    return n < 0 ? "" : std::string(buf, static_cast<size_t>(n));
}

bool exists(const std::string& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0;
}

std::vector<std::string> entries(const std::string& dir) {
    std::vector<std::string> out;
    if (DIR* d = ::opendir(dir.c_str())) {
        while (struct dirent* e = ::readdir(d)) {
            std::string n = e->d_name;
            if (n != "." && n != "..") out.push_back(n);
        }
        ::closedir(d);
    }
    return out;
}

// What both system templates promise about config.json.
void check_system_config(const std::string& bundle, const std::string& hostname) {
    std::string text = hull::read_file(bundle + "/config.json");
    // Without the system-container allowance the missing args are an error...
    CHECK_THROWS(hull::spec::parse_config(text, "config.json"));
    // ...with it the config is valid.
    hull::spec::Config config;
    REQUIRE_NOTHROW(config =
                        hull::spec::parse_config(text, "config.json", {.allow_empty_args = true}));
    REQUIRE(config.process);
    CHECK(config.process->args.empty());
    CHECK(text.find("\"args\"") == std::string::npos);
    CHECK(config.process->terminal);
    CHECK_FALSE(config.process->no_new_privileges);
    REQUIRE(config.root);
    CHECK_FALSE(config.root->readonly);
    CHECK(config.hostname == hostname);
    CHECK(config.annotations.at("org.hull.system-container") == "true");
    for (const char* ns : {"pid", "mount", "ipc", "uts", "network", "cgroup"})
        CHECK(config.has_namespace(ns));
    CHECK_FALSE(config.has_namespace("user"));
    std::vector<std::string> destinations;
    for (const auto& m : config.mounts) {
        destinations.push_back(m.destination);
        if (m.destination == "/sys/fs/cgroup") {
            CHECK(std::find(m.options.begin(), m.options.end(), "ro") == m.options.end());
        }
    }
    CHECK(destinations == std::vector<std::string>{"/proc", "/dev", "/dev/pts", "/dev/shm",
                                                   "/dev/mqueue", "/sys", "/sys/fs/cgroup"});
    REQUIRE(config.linux);
    CHECK(config.linux->masked_paths.size() >= 10);
    CHECK(config.linux->readonly_paths.size() >= 5);
}

}  // namespace

TEST_CASE("busybox template: a busybox-init system with a valid system config", "[templates]") {
    TempDir tmp("hull-tpl");
    std::string bundle = tmp / "tpl-box_1";
    hull::bundle::TemplateOptions options;
    options.template_name = "busybox";
    hull::bundle::make_bundle(bundle, options);
    check_system_config(bundle, "tpl-box-1");

    std::string rootfs = bundle + "/rootfs";
    CHECK(link_target(rootfs + "/sbin/init") == "/bin/busybox");
    CHECK(::access((rootfs + "/bin/busybox").c_str(), X_OK) == 0);
    std::string inittab = read_text(rootfs + "/etc/inittab");
    CHECK(inittab.find("\n::sysinit:/etc/init.d/rcS\n") != std::string::npos);
    CHECK(inittab.find("\nconsole::respawn:-/bin/sh\n") != std::string::npos);
    CHECK(inittab.find("\n::shutdown:/etc/init.d/rcK\n") != std::string::npos);
    CHECK(inittab.find("\n::ctrlaltdel:") != std::string::npos);
    CHECK(inittab.find("\n::restart:/sbin/init\n") != std::string::npos);
    for (const char* script : {"/etc/init.d/rcS", "/etc/init.d/rcK"}) {
        struct stat st {};
        REQUIRE(::stat((rootfs + script).c_str(), &st) == 0);
        CHECK((st.st_mode & 0111) != 0);
    }
    CHECK(read_text(rootfs + "/etc/init.d/rcS").find("hull busybox system: booting") !=
          std::string::npos);
    CHECK(read_text(rootfs + "/etc/init.d/rcK").find("hull busybox system: halting") !=
          std::string::npos);
    CHECK(read_text(rootfs + "/etc/hostname") == "tpl-box-1\n");
    CHECK(read_text(rootfs + "/etc/passwd").rfind("root:x:0:0:root:/root:/bin/sh\n", 0) == 0);
    CHECK(read_text(rootfs + "/etc/group").rfind("root:x:0:\n", 0) == 0);
    struct stat root_home {};
    REQUIRE(::stat((rootfs + "/root").c_str(), &root_home) == 0);
    CHECK(S_ISDIR(root_home.st_mode));
    // rcS is valid shell (busybox sh -n parses without running).
    auto syntax = run_command({rootfs + "/bin/busybox", "sh", "-n", rootfs + "/etc/init.d/rcS"});
    CHECK(syntax.status == 0);
}

TEST_CASE("bundle new: the CLI lists and makes the templates, refuses an existing config",
          "[templates]") {
    auto help = run_command({hull_binary(), "bundle", "new", "--help"});
    REQUIRE(help.status == 0);
    for (const char* word : {"app", "busybox", "debian", "--cache-dir", "--mirror"})
        CHECK(help.out.find(word) != std::string::npos);

    TempDir tmp("hull-tpl");
    std::string bundle = tmp / "tpl-cli";
    auto made = run_command({hull_binary(), "bundle", "new", bundle, "--template", "busybox"});
    REQUIRE(made.status == 0);
    check_system_config(bundle, "tpl-cli");
    auto again = run_command({hull_binary(), "bundle", "new", bundle, "--template", "busybox"});
    CHECK(again.status == 1);
    CHECK(again.err.find("config.json exists") != std::string::npos);

    auto unknown = run_command({hull_binary(), "bundle", "new", tmp / "x", "--template", "arch"});
    CHECK(unknown.status != 0);
    CHECK_FALSE(exists(tmp / "x"));

    // The app template is unchanged: args, no terminal, no system annotation.
    auto app = run_command({hull_binary(), "bundle", "new", tmp / "app"});
    REQUIRE(app.status == 0);
    auto config = hull::spec::parse_config(read_text(tmp / "app/config.json"));
    CHECK_FALSE(config.process->args.empty());
    CHECK(config.annotations.count("org.hull.system-container") == 0);
}

TEST_CASE("debian template: a failed debootstrap leaves no bundle and no cache entry",
          "[templates]") {
    if (::access("/usr/sbin/debootstrap", X_OK) != 0) {
        WARN("SKIPPED: debootstrap is not installed");
        return;
    }
    TempDir tmp("hull-tpl");
    std::string cache = tmp / "cache";
    // Port 9 (discard) on loopback: connection refused, debootstrap fails at once.
    auto r = run_command({hull_binary(), "bundle", "new", tmp / "tpl-deb", "--template", "debian",
                          "--cache-dir", cache, "--mirror", "http://127.0.0.1:9/debian"},
                         {.timeout_seconds = 300});
    CHECK(r.status == 1);
    CHECK(r.err.find("debootstrap") != std::string::npos);
    CHECK_FALSE(exists(tmp / "tpl-deb"));
    CHECK(entries(cache).empty());

    // A bundle dir that existed before keeps existing, empty.
    REQUIRE(::mkdir((tmp / "pre").c_str(), 0755) == 0);
    r = run_command({hull_binary(), "bundle", "new", tmp / "pre", "--template", "debian",
                     "--cache-dir", cache, "--mirror", "http://127.0.0.1:9/debian"},
                    {.timeout_seconds = 300});
    CHECK(r.status == 1);
    CHECK(entries(tmp / "pre").empty());
    CHECK(entries(cache).empty());
}

TEST_CASE("debian template: without debootstrap the error names the package", "[templates]") {
    TempDir tmp("hull-tpl");
    auto r = run_command({hull_binary(), "bundle", "new", tmp / "tpl-deb", "--template", "debian",
                          "--cache-dir", tmp / "cache"},
                         {.env = {{"PATH", "/nonexistent"}}});
    CHECK(r.status == 1);
    CHECK(r.err.find("install Debian's debootstrap package") != std::string::npos);
    CHECK_FALSE(exists(tmp / "tpl-deb"));
    CHECK(entries(tmp / "cache").empty());
}

TEST_CASE("debian template: a cache hit takes seconds and boots systemd", "[templates]") {
    if (std::string why = hull::test::debian_bundle_unavailable(); !why.empty()) {
        WARN("SKIPPED: " + why);
        return;
    }
    TempDir tmp("hull-tpl");
    // The first one may debootstrap (a machine's first run); the second must hit the cache.
    hull::test::make_debian_bundle(tmp.path(), "tpl-warm");
    auto start = std::chrono::steady_clock::now();
    std::string bundle = hull::test::make_debian_bundle(tmp.path(), "tpl-deb");
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    WARN("debian bundle from the cache in " << seconds << " s");
    CHECK(seconds < 30);

    std::string key = hull::bundle::debian_cache_key({});
    CHECK(exists(hull::test::system_rootfs_cache_dir() + "/" + key + "/sbin/init"));
    check_system_config(bundle, "tpl-deb");
    std::string rootfs = bundle + "/rootfs";
    CHECK(link_target(rootfs + "/sbin/init") == "/lib/systemd/systemd");
    CHECK(::access((rootfs + "/lib/systemd/systemd").c_str(), X_OK) == 0);
    CHECK(read_text(rootfs + "/etc/hostname") == "tpl-deb\n");
    CHECK(read_text(rootfs + "/etc/hosts").find("127.0.1.1\ttpl-deb\n") != std::string::npos);
    CHECK(exists(rootfs + "/etc/machine-id"));
    CHECK(read_text(rootfs + "/etc/machine-id").empty());
    CHECK(read_text(rootfs + "/etc/shadow").rfind("root::", 0) == 0);
    CHECK(exists(rootfs + "/usr/bin/dbus-daemon"));
    // Owners and modes survive the copy (setuid su, root-owned tree).
    struct stat su {};
    REQUIRE(::stat((rootfs + "/usr/bin/su").c_str(), &su) == 0);
    CHECK((su.st_mode & S_ISUID) != 0);
    CHECK(su.st_uid == 0);
    // Nothing half-made beside the bundle's files.
    auto names = entries(bundle);
    std::sort(names.begin(), names.end());
    CHECK(names == std::vector<std::string>{"config.json", "rootfs"});
}
