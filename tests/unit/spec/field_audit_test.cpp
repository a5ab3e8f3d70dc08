// Issue 17: no config field without a test, an error that parse_config really gives, or an
// honest "ignored". Walks the runtime-spec schemas in spec/schema/ (every property, array item
// and map value, through every $ref) against field_audit_table.hpp, so that a schema update
// with a new field, or an entry left behind by a field that is gone, fails here.
#include <rapidjson/document.h>
#include <rapidjson/pointer.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "field_audit_table.hpp"
#include "spec/default_spec.hpp"
#include "spec/parse.hpp"
#include "support/test_case_names.hpp"

namespace audit = hull::test::field_audit;
using rapidjson::Value;

namespace {

const std::string kSchemaDir = HULL_SOURCE_DIR "/spec/schema/";

class SchemaWalker {
  public:
    // Every field under config-schema.json, as a JSON pointer with * for items and map values.
    std::set<std::string> fields() {
        std::set<std::string> out;
        walk(document("config-schema.json"), "config-schema.json", "", {}, out);
        return out;
    }

  private:
    std::map<std::string, rapidjson::Document> documents_;

    const rapidjson::Document& document(const std::string& file) {
        auto it = documents_.find(file);
        if (it != documents_.end()) return it->second;
        std::ifstream in(kSchemaDir + file);
        std::stringstream text;
        text << in.rdbuf();
        rapidjson::Document& doc = documents_[file];
        doc.Parse(text.str().c_str());
        INFO(kSchemaDir + file);
        REQUIRE_FALSE(doc.HasParseError());
        REQUIRE(doc.IsObject());
        return doc;
    }

    // "file.json#/definitions/X", "#/definitions/X", and defs.json's own "#definitions/X".
    const Value& resolve(const std::string& ref, std::string& file) {
        auto hash = ref.find('#');
        if (hash != 0) file = ref.substr(0, hash);
        std::string pointer = hash == std::string::npos ? "" : ref.substr(hash + 1);
        if (!pointer.empty() && pointer.front() != '/') pointer = "/" + pointer;
        const Value* target = rapidjson::Pointer(pointer.c_str()).Get(document(file));
        INFO("$ref " << ref);
        REQUIRE(target != nullptr);
        return *target;
    }

    void walk(const Value& node, const std::string& file, const std::string& path,
              std::set<std::string> refs, std::set<std::string>& out) {
        if (!node.IsObject()) return;
        if (node.HasMember("$ref")) {
            std::string target_file = file;
            std::string ref = node["$ref"].GetString();
            const Value& target = resolve(ref, target_file);
            // A recursive definition adds no field the first pass did not.
            if (refs.insert(target_file + "#" + ref.substr(ref.find('#') + 1)).second)
                walk(target, target_file, path, refs, out);
        }
        for (const char* combinator : {"oneOf", "anyOf", "allOf"})
            if (node.HasMember(combinator) && node[combinator].IsArray())
                for (const auto& sub : node[combinator].GetArray())
                    walk(sub, file, path, refs, out);
        auto descend = [&](const Value& sub, const std::string& at) {
            out.insert(at);
            walk(sub, file, at, refs, out);
        };
        if (node.HasMember("properties"))
            for (const auto& m : node["properties"].GetObject())
                descend(m.value, path + "/" + m.name.GetString());
        if (node.HasMember("patternProperties"))
            for (const auto& m : node["patternProperties"].GetObject())
                descend(m.value, path + "/*");
        if (node.HasMember("additionalProperties") && node["additionalProperties"].IsObject())
            descend(node["additionalProperties"], path + "/*");
        if (node.HasMember("items")) {
            if (node["items"].IsObject()) descend(node["items"], path + "/*");
            if (node["items"].IsArray())
                for (const auto& item : node["items"].GetArray())
                    descend(item, path + "/*");
        }
    }
};

const audit::OtherPlatform* other_platform(const std::string& field) {
    for (const auto& p : audit::kOtherPlatforms)
        if (field == "/" + p.member || field.rfind("/" + p.member + "/", 0) == 0) return &p;
    return nullptr;
}

// hull's default config with json put at set_at, through parse_config: "" when it parses, else
// the error.
std::string parse_with(const std::string& set_at, const std::string& json) {
    rapidjson::Document config;
    config.Parse(hull::spec::default_config_json().c_str());
    REQUIRE_FALSE(config.HasParseError());
    rapidjson::Document value(&config.GetAllocator());
    value.Parse(json.c_str());
    INFO(json);
    REQUIRE_FALSE(value.HasParseError());
    rapidjson::Pointer(set_at.c_str()).Set(config, value);
    rapidjson::StringBuffer text;
    rapidjson::Writer<rapidjson::StringBuffer> writer(text);
    config.Accept(writer);
    try {
        hull::spec::parse_config(text.GetString());
        return "";
    } catch (const std::exception& e) {
        return e.what();
    }
}

}  // namespace

TEST_CASE("field audit: the walk finds the fields of the schemas, through their refs") {
    auto fields = SchemaWalker().fields();
    for (const char* known :
         {"/ociVersion", "/linux/resources/memory/limit", "/mounts/*/options",
          "/process/rlimits/*/type", "/hooks/poststop/*/timeout", "/linux/sysctl/*",
          "/linux/seccomp/syscalls/*/args/*/valueTwo", "/process/user/additionalGids/*"})
        CHECK(fields.count(known) == 1);
    CHECK(fields.size() > 250);
}

TEST_CASE("field audit: every schema field has exactly one entry, and no entry more") {
    auto fields = SchemaWalker().fields();
    std::map<std::string, int> entries;
    for (const auto& t : audit::tested())
        ++entries[t.field];
    for (const auto& r : audit::kRefused)
        ++entries[r.field];
    for (const auto& i : audit::kIgnored)
        ++entries[i.field];
    for (const auto& u : audit::kUntested)
        ++entries[u.field];
    for (const auto& field : fields) {
        if (other_platform(field)) continue;
        INFO("field without an entry in tests/unit/spec/field_audit_table.hpp: " << field);
        auto entry = entries.find(field);
        CHECK((entry == entries.end() ? 0 : entry->second) == 1);
    }
    for (const auto& [field, count] : entries) {
        INFO("entry for a field the schemas do not have (or twice): " << field);
        CHECK(fields.count(field) == 1);
        CHECK(count == 1);
        CHECK(other_platform(field) == nullptr);
    }
    // Each other-platform member is a real top-level member of the schema.
    for (const auto& p : audit::kOtherPlatforms)
        CHECK(fields.count("/" + p.member) == 1);
}

TEST_CASE("field audit: every test case the table names exists") {
    auto names = hull::test::test_case_names(HULL_SOURCE_DIR "/tests");
    REQUIRE(names.size() > 100);
    for (const auto& t : audit::tested()) {
        INFO(t.field << " names a test case that does not exist: \"" << t.test_case << "\"");
        CHECK(names.count(t.test_case) == 1);
    }
}

TEST_CASE("field audit: refused fields get their error from parse_config") {
    REQUIRE(parse_with("/hostname", R"("audit")") == "");
    for (const auto& r : audit::kRefused) {
        INFO(r.field << " set as " << r.set_at << " = " << r.json);
        CHECK_THAT(parse_with(r.set_at, r.json), Catch::Contains(r.error));
    }
}

TEST_CASE("field audit: ignored fields and other platforms' sections are accepted") {
    for (const auto& i : audit::kIgnored) {
        INFO(i.field << " (" << i.reason << ") set as " << i.set_at << " = " << i.json);
        CHECK(parse_with(i.set_at, i.json) == "");
    }
    for (const auto& p : audit::kOtherPlatforms) {
        INFO("/" << p.member << " = " << p.json);
        CHECK(parse_with("/" + p.member, p.json) == "");
    }
}

TEST_CASE("field audit: the list of fields without a test only shrinks") {
    for (const auto& u : audit::kUntested)
        WARN("no test shows the effect of " << u.field << " (" << u.note << ")");
    CHECK(audit::kUntested.size() <= audit::kUntestedMax);
}
