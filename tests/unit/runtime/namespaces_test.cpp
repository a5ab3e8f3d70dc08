#include "runtime/namespaces.hpp"

#include <sched.h>

#include <catch2/catch.hpp>

#include "runtime/container_record.hpp"
#include "support/feature_names.hpp"

using namespace hull;

namespace {

spec::Config with_namespaces(std::vector<spec::Namespace> ns) {
    spec::Config c;
    c.linux = spec::Linux{};
    c.linux->namespaces = std::move(ns);
    return c;
}

}  // namespace

TEST_CASE("plain new namespaces are all made by clone3 itself") {
    auto plan = runtime::plan_namespaces(
        with_namespaces({{"mount", ""}, {"pid", ""}, {"network", ""}, {"user", ""}}));
    CHECK(plan.direct);
    CHECK(plan.clone_flags == (CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWUSER));
    CHECK(plan.new_user);
}

TEST_CASE("a new cgroup namespace is made by init once it is in its cgroup") {
    auto plan = runtime::plan_namespaces(with_namespaces({{"mount", ""}, {"cgroup", ""}}));
    CHECK(plan.late_cgroup);
    CHECK((plan.clone_flags & CLONE_NEWCGROUP) == 0);
}

TEST_CASE("a joined namespace beside a new user namespace takes the slow path, user first") {
    auto plan = runtime::plan_namespaces(
        with_namespaces({{"mount", ""}, {"network", "/proc/1/ns/net"}, {"user", ""}, {"pid", ""}}));
    CHECK_FALSE(plan.direct);
    CHECK(plan.unshare_user);
    CHECK(plan.second_fork);
    REQUIRE(plan.joins.size() == 1);
    CHECK(plan.joins[0].type == "network");
    CHECK((plan.unshare_flags & CLONE_NEWUSER) == 0);
}

TEST_CASE("a time namespace needs a second fork so its offsets can be set first") {
    auto plan = runtime::plan_namespaces(with_namespaces({{"mount", ""}, {"time", ""}}));
    CHECK_FALSE(plan.direct);
    CHECK(plan.second_fork);
}

TEST_CASE("container records round-trip through JSON") {
    runtime::ContainerRecord r;
    r.oci_version = "1.3.0";
    r.id = "c1";
    r.status = hull::runtime::Status::created;
    r.pid = 42;
    r.start_time = 123456789;
    r.bundle = "/b";
    r.rootfs = "/b/rootfs";
    r.created = "2026-01-01T00:00:00.000000000Z";
    r.owner = "root";
    r.annotations = {{"k", "v \"quoted\""}};
    r.cgroup = R"({"x":1})";
    r.system = runtime::SystemRecord{7, 99, 35, "uuid-1", 3};
    auto back = runtime::record_from_json(runtime::record_to_json(r));
    CHECK(back.id == r.id);
    CHECK(back.pid == 42);
    CHECK(back.start_time == 123456789);
    CHECK(back.annotations == r.annotations);
    CHECK(back.cgroup == r.cgroup);
    REQUIRE(back.system);
    CHECK(back.system->monitor_pid == 7);
    CHECK(back.system->monitor_start_time == 99);
    CHECK(back.system->halt_signal == 35);
    CHECK(back.system->uuid == "uuid-1");
    CHECK(back.system->boots == 3);
    r.system.reset();
    CHECK_FALSE(runtime::record_from_json(runtime::record_to_json(r)).system);
    CHECK_THROWS(runtime::record_from_json("{broken"));
}

// features.json's namespaces come from spec/namespace_names, the table the runtime creates
// and joins them by.
TEST_CASE("features: namespaces are the types the runtime creates and joins",
          "[runtime][features]") {
    auto reported = test::features_names("/linux/namespaces");
    auto candidates = test::spec_enum("NamespaceType");
    candidates.insert(reported.begin(), reported.end());
    candidates.insert("bogus");
    for (const auto& name : candidates) {
        INFO(name);
        CHECK(test::accepted([&] { runtime::namespace_flag(name); }) == reported.count(name));
    }
}
