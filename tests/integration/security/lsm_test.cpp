// LSM labels and the procfs checks that protect them.
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "base/error.hpp"
#include "base/procfs.hpp"
#include "child.hpp"
#include "runtime/security/lsm.hpp"
#include "runtime/security/process_attrs.hpp"

namespace sec = hull::security;
using hull::security::test::run_in_child;

TEST_CASE("apparmorProfile with AppArmor off is a clear error", "[security][lsm]") {
    hull::spec::Process p;
    p.apparmor_profile = "hull-test";
    CHECK_THROWS_WITH(sec::apply_lsm_labels(p, sec::LsmState{false, true}),
                      "apparmorProfile \"hull-test\" requested but AppArmor is not enabled on "
                      "this host");
    hull::spec::Process s;
    s.selinux_label = "system_u:system_r:container_t:s0";
    CHECK_THROWS_WITH(sec::apply_lsm_labels(s, sec::LsmState{true, false}),
                      "selinuxLabel \"system_u:system_r:container_t:s0\" requested but SELinux "
                      "is not enabled on this host");
    // Nothing requested: nothing to do, whatever the host has.
    CHECK_NOTHROW(sec::apply_lsm_labels(hull::spec::Process{}, sec::LsmState{}));
}

TEST_CASE("LSM detection on this host", "[security][lsm]") {
    sec::LsmState lsms = sec::detect_lsms();
    hull::spec::Process p;
    p.apparmor_profile = "unconfined";
    if (!lsms.apparmor) {
        CHECK_THROWS_WITH(sec::apply_lsm_labels(p, lsms),
                          Catch::Contains("AppArmor is not enabled"));
        WARN("SKIPPED AppArmor apply test: AppArmor is not enabled on this host");
    } else {
        auto r = run_in_child([p, lsms] {
            sec::apply_lsm_labels(p, lsms);
            return std::string("ok");
        });
        CHECK(r.output == "ok");
    }
    if (!lsms.selinux) {
        WARN("SKIPPED SELinux apply test: SELinux is not enabled on this host");
    }
}

TEST_CASE("procfs files are opened beneath a verified /proc", "[security][procfs]") {
    hull::unique_fd proc = hull::open_procfs();
    CHECK_NOTHROW(hull::open_in_procfs(proc.get(), "self/status", O_RDONLY));
    CHECK_THAT(hull::read_procfs("thread-self/comm"), !Catch::Equals(""));
    CHECK_THROWS_WITH(hull::open_in_procfs(proc.get(), "../etc/passwd", O_RDONLY),
                      Catch::StartsWith("open /proc/../etc/passwd: "));
}

TEST_CASE("a fake /proc is refused (CVE-2019-16884)", "[security][procfs]") {
    auto tmpfs = run_in_child([] {
        if (unshare(CLONE_NEWNS) < 0) hull::throw_errno("unshare");
        if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) < 0) {
            hull::throw_errno("make / private");
        }
        if (mount("tmpfs", "/proc", "tmpfs", 0, nullptr) < 0) hull::throw_errno("mount tmpfs");
        hull::write_procfs("self/oom_score_adj", "100");
        return std::string("written");
    });
    CHECK(tmpfs.exit_code == 1);
    CHECK(tmpfs.output == "/proc is not on procfs (refusing to use a fake /proc)");

    auto overmount = run_in_child([] {
        if (unshare(CLONE_NEWNS) < 0) hull::throw_errno("unshare");
        if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) < 0) {
            hull::throw_errno("make / private");
        }
        std::string target = "/proc/" + std::to_string(getpid()) + "/attr/exec";
        if (mount("/dev/null", target.c_str(), nullptr, MS_BIND, nullptr) < 0) {
            hull::throw_errno("bind /dev/null over " + target);
        }
        hull::write_procfs("self/attr/exec", "x");
        return std::string("written");
    });
    CHECK(overmount.exit_code == 1);
    CHECK_THAT(overmount.output, Catch::StartsWith("open /proc/self/attr/exec: "));
    CHECK_THAT(overmount.output, Catch::Contains("cross-device"));
}
