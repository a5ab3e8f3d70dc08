#include <catch2/catch.hpp>

#include "runtime/security/capabilities.hpp"

namespace sec = hull::security;
using sec::CapMask;

namespace {

CapMask bits(std::initializer_list<int> caps) {
    CapMask m = 0;
    for (int c : caps)
        m |= CapMask{1} << c;
    return m;
}

bool has_warning(const sec::CapPlan& plan, const std::string& part) {
    for (const auto& w : plan.warnings) {
        if (w.find(part) != std::string::npos) return true;
    }
    return false;
}

// A runtime like this host's: all 41 capabilities except CAP_SYS_RESOURCE (24).
sec::CapState host_like() {
    sec::CapState s;
    s.last_cap = 40;
    s.bounding = (CapMask{1} << 41) - 1;
    s.bounding &= ~bits({24});
    s.permitted = s.bounding;
    return s;
}

}  // namespace

TEST_CASE("capability names round-trip", "[security][caps]") {
    CHECK(sec::capability_number("CAP_CHOWN") == 0);
    CHECK(sec::capability_number("CAP_NET_BIND_SERVICE") == 10);
    CHECK(sec::capability_number("CAP_SYS_ADMIN") == 21);
    CHECK(sec::capability_number("CAP_CHECKPOINT_RESTORE") == 40);
    CHECK_FALSE(sec::capability_number("CAP_FLY").has_value());
    CHECK_FALSE(sec::capability_number("cap_chown").has_value());
    CHECK(sec::capability_name(39) == "CAP_BPF");
    CHECK(sec::capability_name(45) == "CAP_45");
    for (int cap = 0; cap <= 40; ++cap) {
        CHECK(sec::capability_number(sec::capability_name(cap)) == cap);
    }
}

TEST_CASE("plan keeps exactly the listed capabilities", "[security][caps]") {
    hull::spec::Capabilities caps;
    caps.bounding = {"CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE"};
    caps.permitted = {"CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE"};
    caps.effective = {"CAP_CHOWN", "CAP_NET_BIND_SERVICE"};
    caps.inheritable = {"CAP_NET_BIND_SERVICE"};
    caps.ambient = {"CAP_NET_BIND_SERVICE"};
    sec::CapPlan plan = sec::plan_capabilities(caps, host_like());
    CHECK(plan.bounding == bits({0, 5, 10}));
    CHECK(plan.permitted == bits({0, 5, 10}));
    CHECK(plan.effective == bits({0, 10}));
    CHECK(plan.inheritable == bits({10}));
    CHECK(plan.ambient == bits({10}));
    CHECK(plan.warnings.empty());
}

TEST_CASE("absent sets inside a capabilities object keep nothing", "[security][caps]") {
    hull::spec::Capabilities caps;
    caps.effective = {"CAP_KILL"};
    caps.permitted = {"CAP_KILL"};
    sec::CapPlan plan = sec::plan_capabilities(caps, host_like());
    CHECK(plan.bounding == 0);
    CHECK(plan.permitted == bits({5}));
    CHECK(plan.effective == bits({5}));
    CHECK(plan.inheritable == 0);
    CHECK(plan.ambient == 0);
}

TEST_CASE("capabilities that cannot be granted are dropped with warnings", "[security][caps]") {
    hull::spec::Capabilities caps;
    caps.bounding = {"CAP_CHOWN", "CAP_SYS_RESOURCE", "CAP_FLY"};
    caps.permitted = {"CAP_CHOWN", "CAP_SYS_RESOURCE"};
    caps.effective = {"CAP_CHOWN", "CAP_KILL"};       // KILL not in permitted
    caps.inheritable = {"CAP_CHOWN", "CAP_NET_RAW"};  // NET_RAW not in bounding
    caps.ambient = {"CAP_CHOWN", "CAP_SETUID"};       // SETUID neither permitted nor inh.
    sec::CapState state = host_like();
    state.last_cap = 38;
    caps.permitted->push_back("CAP_BPF");  // 39 > last_cap
    sec::CapPlan plan = sec::plan_capabilities(caps, state);
    CHECK(plan.bounding == bits({0}));
    CHECK(plan.permitted == bits({0}));
    CHECK(plan.effective == bits({0}));
    CHECK(plan.inheritable == bits({0}));
    CHECK(plan.ambient == bits({0}));
    CHECK(has_warning(plan, "bounding capability CAP_FLY: unknown"));
    CHECK(has_warning(plan, "bounding capability CAP_SYS_RESOURCE: not in the runtime's bounding"));
    CHECK(
        has_warning(plan, "permitted capability CAP_SYS_RESOURCE: not in the runtime's permitted"));
    CHECK(has_warning(plan, "permitted capability CAP_BPF: not supported by the running kernel"));
    CHECK(has_warning(plan, "effective capability CAP_KILL: not in the permitted set"));
    CHECK(has_warning(plan, "inheritable capability CAP_NET_RAW: not in the bounding set"));
    CHECK(plan.warnings.size() == 6);
    // runc's older default config has ambient capabilities that are not inheritable; runc says
    // nothing, hull notes it for --debug instead of warning at every run and exec.
    REQUIRE(plan.notes.size() == 1);
    CHECK_THAT(plan.notes[0], Catch::Contains("ambient capability CAP_SETUID"));
}
