// features.json's seccomp and memory policy lists come from spec/seccomp_names and
// spec/memory_policy_names, the tables security/ executes; these hold both sides of that claim
// against what security/ accepts, for the names of those tables and of the spec's own enums.
#include <catch2/catch.hpp>
#include <string>

#include "base/error.hpp"
#include "runtime/security/process_attrs.hpp"
#include "runtime/security/seccomp.hpp"
#include "support/feature_names.hpp"

namespace sec = hull::security;
using hull::test::accepted;
using hull::test::features_names;
using hull::test::NameSet;
using hull::test::spec_enum;

namespace {

// The spec's names, those features reports, and one nobody knows.
NameSet candidates(const char* definition, const NameSet& reported, const char* bogus) {
    NameSet out = spec_enum(definition);
    out.insert(reported.begin(), reported.end());
    out.insert(bogus);
    return out;
}

}  // namespace

TEST_CASE("features: seccomp actions are those the filter compiler takes", "[security][features]") {
    auto reported = features_names("/linux/seccomp/actions");
    for (const auto& name : candidates("SeccompAction", reported, "SCMP_ACT_BOGUS")) {
        INFO(name);
        CHECK(accepted([&] { sec::seccomp_action(name, std::nullopt); }) == reported.count(name));
    }
}

TEST_CASE("features: seccomp operators are those the filter compiler takes",
          "[security][features]") {
    auto reported = features_names("/linux/seccomp/operators");
    for (const auto& name : candidates("SeccompOperators", reported, "SCMP_CMP_BOGUS")) {
        INFO(name);
        CHECK(accepted([&] { sec::seccomp_operator(name); }) == reported.count(name));
    }
}

TEST_CASE("features: seccomp archs are those the filter compiler takes", "[security][features]") {
    auto reported = features_names("/linux/seccomp/archs");
    for (const auto& name : candidates("SeccompArch", reported, "SCMP_ARCH_Z80")) {
        INFO(name);
        CHECK(accepted([&] { sec::seccomp_arch(name); }) == reported.count(name));
    }
}

TEST_CASE("features: supported seccomp flags compile, known ones are not unknown",
          "[security][features]") {
    auto known = features_names("/linux/seccomp/knownFlags");
    auto supported = features_names("/linux/seccomp/supportedFlags");
    for (const auto& name : candidates("SeccompFlag", known, "SECCOMP_FILTER_FLAG_FAST")) {
        INFO(name);
        hull::spec::Seccomp s;
        s.default_action = "SCMP_ACT_ALLOW";
        s.flags = {name};
        std::string error;
        try {
            sec::compile_seccomp(s);
        } catch (const hull::Error& e) {
            error = e.what();
        }
        CHECK(error.empty() == (supported.count(name) == 1));
        CHECK((error.find("unknown") == std::string::npos) == (known.count(name) == 1));
    }
}

TEST_CASE("features: memory policy modes and flags are those set_mempolicy gets",
          "[security][features]") {
    auto modes = features_names("/linux/memoryPolicy/modes");
    for (const auto& name : candidates("MemoryPolicyMode", modes, "MPOL_RANDOM")) {
        INFO(name);
        CHECK(accepted([&] { sec::memory_policy_mode({name, "", {}}); }) == modes.count(name));
    }
    auto flags = features_names("/linux/memoryPolicy/flags");
    for (const auto& name : candidates("MemoryPolicyFlag", flags, "MPOL_F_BOGUS")) {
        INFO(name);
        CHECK(accepted([&] {
                  sec::memory_policy_mode({"MPOL_BIND", "0", {name}});
              }) == flags.count(name));
    }
}
