// The runtime-spec's own schema test examples must get the same verdict from hull's schema
// layer; good examples that hull's stricter semantic layer rejects are listed explicitly.
#include <rapidjson/document.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "base/file.hpp"
#include "spec/parse.hpp"
#include "spec/schema.hpp"

namespace fs = std::filesystem;
using hull::spec::ConfigError;

namespace {

std::vector<fs::path> examples(const std::string& kind, const std::string& verdict) {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(fs::path(HULL_SCHEMA_TEST_DIR) / kind / verdict)) {
        if (e.path().extension() == ".json") out.push_back(e.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

// Runs the schema layer only; returns "" when valid, else the error.
std::string schema_verdict(const std::string& kind, const fs::path& path) {
    std::string text = hull::read_file(path.string());
    rapidjson::Document doc;
    doc.Parse(text.c_str(), text.size());
    if (doc.HasParseError()) return "invalid JSON";
    try {
        if (kind == "config") hull::spec::validate_config_schema(doc, path.filename().string());
        if (kind == "state") hull::spec::validate_state_schema(doc, path.filename().string());
        if (kind == "features") {
            hull::spec::validate_features_schema(doc, path.filename().string());
        }
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("schema test examples: good ones validate, bad ones do not", "[spec][schema]") {
    int checked = 0;
    for (const std::string kind : {"config", "state", "features"}) {
        for (const auto& path : examples(kind, "good")) {
            INFO(path.string());
            CHECK(schema_verdict(kind, path) == "");
            ++checked;
        }
        for (const auto& path : examples(kind, "bad")) {
            INFO(path.string());
            CHECK(schema_verdict(kind, path) != "");
            ++checked;
        }
    }
    CHECK(checked >= 13);
}

TEST_CASE("schema test examples: bad configs name the offending value", "[spec][schema]") {
    const std::map<std::string, std::string> expected = {
        {"linux-hugepage.json",
         "linux-hugepage.json: /linux/resources/hugepageLimits/0/pageSize: "
         "\"64kB\" does not match the expected pattern"},
        {"linux-netdevice.json",
         "linux-netdevice.json: /linux/netDevices/eth0/name: expected string, got integer"},
        {"linux-rdma.json",
         "linux-rdma.json: /linux/resources/rdma/mlx5_1/hcaHandles: expected integer, got string"},
        {"invalid-json.json", "invalid JSON"},
    };
    for (const auto& path : examples("config", "bad")) {
        INFO(path.string());
        auto it = expected.find(path.filename().string());
        REQUIRE(it != expected.end());
        CHECK_THAT(schema_verdict("config", path), Catch::Contains(it->second));
    }
    auto features = examples("features", "bad");
    REQUIRE(features.size() == 1);
    CHECK_THAT(schema_verdict("features", features[0]),
               Catch::EndsWith("/ociVersionMax: required member missing"));
}

TEST_CASE("good config examples through the semantic layer", "[spec][schema]") {
    // Only these good examples fail hull's semantic rules, each for a legitimate reason.
    const std::map<std::string, std::string> semantic_failures = {
        // netDevices are moved into the container's network namespace; there is none.
        {"linux-netdevice.json", "/linux/netDevices/ens4"},
        // A pre-1.0 draft version; hull implements 1.0.0 .. 1.3.x.
        {"spec-example.json", "/ociVersion"},
    };
    for (const auto& path : examples("config", "good")) {
        INFO(path.string());
        std::string text = hull::read_file(path.string());
        auto it = semantic_failures.find(path.filename().string());
        if (it == semantic_failures.end()) {
            CHECK_NOTHROW(hull::spec::parse_config(text));
            continue;
        }
        try {
            hull::spec::parse_config(text);
            FAIL("expected a semantic error");
        } catch (const ConfigError& e) {
            CHECK(e.pointer() == it->second);
        }
    }
}

TEST_CASE("the full spec example passes semantics once its version is supported",
          "[spec][schema]") {
    std::string text = hull::read_file(
        (fs::path(HULL_SCHEMA_TEST_DIR) / "config/good/spec-example.json").string());
    auto pos = text.find("\"0.5.0-dev\"");
    REQUIRE(pos != std::string::npos);
    text.replace(pos, 11, "\"1.3.0\"");
    auto config = hull::spec::parse_config(text);
    REQUIRE(config.linux);
    CHECK(config.linux->seccomp.has_value());
    CHECK_FALSE(config.mounts.empty());
}

TEST_CASE("remote $ref names resolve to the embedded files", "[spec][schema]") {
    using hull::spec::resolve_schema_name;
    CHECK(resolve_schema_name("defs.json") == "defs.json");
    CHECK(resolve_schema_name("defs-linux.json") == "defs-linux.json");
    CHECK(resolve_schema_name("defs.jso") == "");
    CHECK(resolve_schema_name("https://example.com/schema/defs.json") == "defs.json");
    CHECK(resolve_schema_name("defs.js") == "");
    CHECK(resolve_schema_name("nope.json") == "");
    CHECK(resolve_schema_name("") == "");
}

TEST_CASE("cross-file references are enforced, not silently ignored", "[spec][schema]") {
    // uint32 lives in defs.json and is reached through a remote $ref from config-schema.json;
    // an unresolved reference would accept anything.
    rapidjson::Document doc;
    doc.Parse(R"({"ociVersion":"1.0.0","process":{"cwd":"/","user":{"uid":-1}}})");
    try {
        hull::spec::validate_config_schema(doc, "config.json");
        FAIL("negative uid accepted");
    } catch (const ConfigError& e) {
        CHECK(e.pointer() == "/process/user/uid");
        CHECK_THAT(e.what(), Catch::Contains("out of range (expected >= 0)"));
    }
}

TEST_CASE("process schema validates a process object on its own", "[spec][schema]") {
    rapidjson::Document good;
    good.Parse(R"({"cwd":"/","args":["sh"]})");
    CHECK_NOTHROW(hull::spec::validate_process_schema(good, "process.json"));
    rapidjson::Document bad;
    bad.Parse(R"({"args":["sh"]})");
    try {
        hull::spec::validate_process_schema(bad, "process.json");
        FAIL("missing cwd accepted");
    } catch (const ConfigError& e) {
        CHECK(std::string(e.what()) == "process.json: /cwd: required member missing");
    }
}
