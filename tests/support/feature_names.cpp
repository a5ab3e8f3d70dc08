#include "support/feature_names.hpp"

#include <rapidjson/document.h>
#include <rapidjson/pointer.h>

#include <catch2/catch.hpp>

#include "spec/embedded_schemas.hpp"
#include "spec/features.hpp"

namespace hull::test {

namespace {

NameSet strings(const rapidjson::Value* array, const char* where) {
    INFO(where);
    REQUIRE(array);
    REQUIRE(array->IsArray());
    NameSet out;
    for (const auto& v : array->GetArray())
        out.emplace(v.GetString());
    CHECK(out.size() == array->Size());  // each named once
    return out;
}

}  // namespace

NameSet features_names(const char* pointer) {
    rapidjson::Document doc;
    doc.Parse(spec::features_json().c_str());
    REQUIRE(doc.IsObject());
    return strings(rapidjson::Pointer(pointer).Get(doc), pointer);
}

NameSet spec_enum(const char* definition) {
    for (const auto& schema : spec::embedded_schemas()) {
        if (schema.name != "defs-linux.json") continue;
        rapidjson::Document doc;
        doc.Parse(schema.text.data(), schema.text.size());
        REQUIRE(doc.IsObject());
        std::string pointer = std::string("/definitions/") + definition + "/enum";
        return strings(rapidjson::Pointer(pointer.c_str()).Get(doc), definition);
    }
    FAIL("defs-linux.json is not embedded");
    return {};
}

}  // namespace hull::test
