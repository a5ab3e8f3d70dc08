#include <rapidjson/document.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "spec/capability_names.hpp"
#include "spec/features.hpp"
#include "spec/schema.hpp"

namespace {

std::vector<std::string> strings(const rapidjson::Value& array) {
    std::vector<std::string> out;
    for (const auto& v : array.GetArray())
        out.emplace_back(v.GetString());
    return out;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

TEST_CASE("features.json parses and validates against the features schema", "[spec][features]") {
    std::string json = hull::spec::features_json();
    rapidjson::Document doc;
    doc.Parse(json.c_str());
    REQUIRE_FALSE(doc.HasParseError());
    CHECK_NOTHROW(hull::spec::validate_features_schema(doc, "features.json"));
    CHECK(std::string(doc["ociVersionMin"].GetString()) == "1.0.0");
    CHECK(std::string(doc["ociVersionMax"].GetString()) == "1.3.0");
    CHECK(std::string(doc["annotations"]["io.github.hull.version"].GetString()) == HULL_VERSION);
}

TEST_CASE("features.json tells what hull supports", "[spec][features]") {
    rapidjson::Document doc;
    doc.Parse(hull::spec::features_json().c_str());
    REQUIRE(doc.IsObject());
    CHECK(strings(doc["hooks"]).size() == 6);
    auto options = strings(doc["mountOptions"]);
    CHECK(contains(options, "rbind"));
    CHECK(contains(options, "idmap"));
    CHECK(contains(options, "rro"));
    CHECK(contains(options, "tmpcopyup"));       // bundle/ implements it (integration-tested)
    CHECK(contains(options, "lazytime"));        // a mount(2) flag of bundle/mount_options
    CHECK_FALSE(contains(options, "defaults"));  // means nothing: not claimed
    CHECK(strings(doc["potentiallyUnsafeConfigAnnotations"]) ==
          std::vector<std::string>{"org.hull.system-container"});
    const auto& linux = doc["linux"];
    CHECK(strings(linux["namespaces"]).size() == 8);
    auto caps = strings(linux["capabilities"]);
    CHECK(caps.size() == hull::spec::capability_names().size());
    CHECK(contains(caps, "CAP_CHECKPOINT_RESTORE"));
    CHECK(linux["cgroup"]["v1"].GetBool());
    CHECK(linux["cgroup"]["v2"].GetBool());
    CHECK(linux["cgroup"]["systemd"].GetBool());
    CHECK_FALSE(linux["cgroup"]["systemdUser"].GetBool());
    CHECK(linux["seccomp"]["enabled"].GetBool());
    CHECK(contains(strings(linux["seccomp"]["archs"]), "SCMP_ARCH_X86_64"));
    CHECK(strings(linux["seccomp"]["operators"]).size() == 7);
    CHECK(linux["mountExtensions"]["idmap"]["enabled"].GetBool());
    CHECK(linux["netDevices"]["enabled"].GetBool());
    CHECK_FALSE(linux["intelRdt"]["enabled"].GetBool());
    CHECK(strings(linux["memoryPolicy"]["modes"]).size() == 7);
}

TEST_CASE("capability table maps names and numbers both ways", "[spec][features]") {
    const auto& names = hull::spec::capability_names();
    REQUIRE(names.size() == 41);
    for (std::size_t i = 0; i < names.size(); ++i) {
        CHECK(names[i].number == static_cast<int>(i));
        CHECK(hull::spec::capability_number(names[i].name) == names[i].number);
        CHECK(hull::spec::capability_name(names[i].number) == names[i].name);
    }
    CHECK(hull::spec::capability_number("CAP_SYS_ADMIN") == 21);
    CHECK(hull::spec::capability_number("CAP_BPF") == 39);
    CHECK_FALSE(hull::spec::capability_number("CAP_NOPE").has_value());
    CHECK(hull::spec::capability_name(41).empty());
    CHECK(hull::spec::capability_name(-1).empty());
}
