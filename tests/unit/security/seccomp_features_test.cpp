// features.json's seccomp lists come from spec/seccomp_names, the tables the filter compiler
// uses; these hold both sides of that claim against the spec's own enums (defs-linux.json).
#include <rapidjson/document.h>

#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "base/error.hpp"
#include "runtime/security/seccomp.hpp"
#include "spec/embedded_schemas.hpp"
#include "spec/features.hpp"

namespace sec = hull::security;

namespace {

using Names = std::set<std::string>;

Names strings(const rapidjson::Value& array) {
    Names out;
    for (const auto& v : array.GetArray())
        out.emplace(v.GetString());
    CHECK(out.size() == array.Size());  // each named once
    return out;
}

// The enum of one definition in the runtime-spec's defs-linux.json.
Names spec_enum(const char* definition) {
    for (const auto& schema : hull::spec::embedded_schemas()) {
        if (schema.name != "defs-linux.json") continue;
        rapidjson::Document doc;
        doc.Parse(schema.text.data(), schema.text.size());
        REQUIRE(doc.IsObject());
        return strings(doc["definitions"][definition]["enum"]);
    }
    FAIL("defs-linux.json is not embedded");
    return {};
}

const rapidjson::Value& features_seccomp(rapidjson::Document& doc) {
    doc.Parse(hull::spec::features_json().c_str());
    REQUIRE(doc.IsObject());
    return doc["linux"]["seccomp"];
}

template <typename Fn>
bool accepted(Fn fn) {
    try {
        fn();
        return true;
    } catch (const hull::Error&) {
        return false;
    }
}

hull::spec::Seccomp with_flag(const std::string& flag) {
    hull::spec::Seccomp s;
    s.default_action = "SCMP_ACT_ALLOW";
    s.flags = {flag};
    return s;
}

}  // namespace

TEST_CASE("seccomp features: actions and operators are those the compiler takes",
          "[security][seccomp][features]") {
    rapidjson::Document doc;
    const auto& seccomp = features_seccomp(doc);
    Names actions = strings(seccomp["actions"]);
    Names candidates = spec_enum("SeccompAction");
    candidates.insert(actions.begin(), actions.end());
    candidates.insert("SCMP_ACT_BOGUS");
    for (const auto& name : candidates) {
        INFO(name);
        CHECK(accepted([&] { sec::seccomp_action(name, std::nullopt); }) == actions.count(name));
    }
    Names operators = strings(seccomp["operators"]);
    candidates = spec_enum("SeccompOperators");
    candidates.insert(operators.begin(), operators.end());
    candidates.insert("SCMP_CMP_BOGUS");
    for (const auto& name : candidates) {
        INFO(name);
        CHECK(accepted([&] { sec::seccomp_operator(name); }) == operators.count(name));
    }
}

TEST_CASE("seccomp features: archs are those the compiler takes", "[security][seccomp][features]") {
    rapidjson::Document doc;
    const auto& seccomp = features_seccomp(doc);
    Names archs = strings(seccomp["archs"]);
    Names candidates = spec_enum("SeccompArch");
    candidates.insert(archs.begin(), archs.end());
    candidates.insert("SCMP_ARCH_Z80");
    for (const auto& name : candidates) {
        INFO(name);
        CHECK(accepted([&] { sec::seccomp_arch(name); }) == archs.count(name));
    }
}

TEST_CASE("seccomp features: supported flags compile, known flags are not unknown",
          "[security][seccomp][features]") {
    rapidjson::Document doc;
    const auto& seccomp = features_seccomp(doc);
    Names known = strings(seccomp["knownFlags"]);
    Names supported = strings(seccomp["supportedFlags"]);
    Names candidates = spec_enum("SeccompFlag");
    candidates.insert(known.begin(), known.end());
    candidates.insert("SECCOMP_FILTER_FLAG_FAST");
    for (const auto& name : candidates) {
        INFO(name);
        std::string error;
        try {
            sec::compile_seccomp(with_flag(name));
        } catch (const hull::Error& e) {
            error = e.what();
        }
        CHECK(error.empty() == (supported.count(name) == 1));
        bool unknown = error.find("unknown") != std::string::npos;
        CHECK(!unknown == (known.count(name) == 1));
    }
}
