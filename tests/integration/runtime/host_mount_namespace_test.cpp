// A config whose linux.namespaces has no mount entry: config-linux.md says the container then
// shares the runtime's mount namespace, and runc runs it (chrooted into the rootfs). hull does
// too, and unlike runc 1.1 it unmounts at delete what the container mounted in the host's.
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <functional>

#include "base/file.hpp"
#include "base/mountinfo.hpp"
#include "support/hull_env.hpp"

using hull::test::HullEnv;

namespace {

std::string ns_of(const std::string& pid, const char* name) {
    char buf[64] = {};
    ssize_t n = ::readlink(("/proc/" + pid + "/ns/" + name).c_str(), buf, sizeof buf - 1);
    return std::string(buf, n > 0 ? static_cast<size_t>(n) : 0);
}

// Mount points at or below dir, as this (the host's) mount namespace has them.
std::vector<std::string> mounts_below(const std::string& dir) {
    std::vector<std::string> out;
    for (const auto& m : hull::parse_mountinfo(hull::read_file("/proc/self/mountinfo")))
        if (m.mountpoint == dir || m.mountpoint.rfind(dir + "/", 0) == 0)
            out.push_back(m.mountpoint);
    return out;
}

void without_mount_namespace(hull::test::BusyboxBundle& b) {
    b.set("/linux/namespaces", R"([{"type":"pid"},{"type":"uts"},{"type":"ipc"}])");
    b.erase("/linux/maskedPaths");
    b.erase("/linux/readonlyPaths");
}

// A mount that was below the rootfs before create, as containerd's rootfs mount is; the
// test's own, removed however the test ends.
struct PremadeMount {
    std::string path;
    explicit PremadeMount(std::string p) : path(std::move(p)) {
        REQUIRE(::mount("premade", path.c_str(), "tmpfs", 0, "size=64k") == 0);
    }
    ~PremadeMount() { ::umount2(path.c_str(), MNT_DETACH); }
};

}  // namespace

TEST_CASE(
    "without a mount namespace the container shares the host's, chrooted into rootfs, "
    "and delete unmounts what it mounted there") {
    HullEnv env;
    auto bundle = env.bundle("b", {"sleep", "300"});
    without_mount_namespace(bundle);
    ::mkdir((bundle.rootfs() + "/premade").c_str(), 0755);
    PremadeMount premade(bundle.rootfs() + "/premade");

    auto run = env.hull({"run", "-d", "--bundle", bundle.path(), "c1"});
    INFO("run: " << run.err);
    REQUIRE(run.status == 0);
    std::string pid = std::to_string(env.pid("c1"));
    // The omitted types are the runtime's own; the listed ones are new.
    CHECK(ns_of(pid, "mnt") == ns_of("self", "mnt"));
    CHECK(ns_of(pid, "net") == ns_of("self", "net"));
    CHECK(ns_of(pid, "pid") != ns_of("self", "pid"));
    // Init's root is the rootfs, and its mounts are in the host's namespace below it.
    char root[4096] = {};
    REQUIRE(::readlink(("/proc/" + pid + "/root").c_str(), root, sizeof root - 1) > 0);
    CHECK(std::string(root) == bundle.rootfs());
    auto while_running = mounts_below(bundle.rootfs());
    CHECK(std::find(while_running.begin(), while_running.end(), bundle.rootfs() + "/proc") !=
          while_running.end());

    // exec takes init's root, never the host's.
    auto exec = env.hull({"exec", "c1", "sh", "-c",
                          "readlink /proc/self/ns/mnt; test -e /work && echo host-root || echo "
                          "container-root"});
    INFO("exec: " << exec.err);
    CHECK(exec.status == 0);
    CHECK(exec.out == ns_of("self", "mnt") + "\ncontainer-root\n");

    CHECK(env.hull({"delete", "--force", "c1"}).status == 0);
    // Only the mount that was there before create is left.
    CHECK(mounts_below(bundle.rootfs()) == std::vector<std::string>{bundle.rootfs() + "/premade"});
    ::umount2(premade.path.c_str(), MNT_DETACH);
    CHECK(env.leaks() == "");
}

TEST_CASE("without a mount namespace, what cannot work is refused and nothing is left") {
    HullEnv env;
    struct Case {
        std::string name;
        std::function<void(hull::test::BusyboxBundle&)> change;
        std::string error;
    };
    std::vector<Case> cases = {
        {"maskedPaths", [](auto& b) { b.set("/linux/maskedPaths", R"(["/proc/kcore"])"); },
         "/linux/maskedPaths: needs a mount namespace"},
        {"readonlyPaths", [](auto& b) { b.set("/linux/readonlyPaths", R"(["/proc/sys"])"); },
         "/linux/readonlyPaths: needs a mount namespace"},
        {"user namespace", [](auto& b) { b.add_user_namespace(); },
         "a user namespace needs a mount namespace too"},
        {"system container",
         [](auto& b) { b.set("/annotations", R"({"org.hull.system-container":"true"})"); },
         "a system container needs a mount namespace"},
    };
    for (const auto& c : cases) {
        auto bundle = env.bundle("b-" + std::to_string(&c - cases.data()), {"true"});
        without_mount_namespace(bundle);
        c.change(bundle);
        auto r = env.hull({"create", "--bundle", bundle.path(), "c1"});
        INFO(c.name << ": " << r.err);
        CHECK(r.status == 1);
        CHECK_THAT(r.err, Catch::Contains(c.error));
        CHECK(env.hull({"list", "-q"}).out == "");
        CHECK(mounts_below(bundle.rootfs()).empty());
    }
    CHECK(env.leaks() == "");
}
