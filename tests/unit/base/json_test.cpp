#include "base/json.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "base/error.hpp"

using hull::json::kMaxDepth;

namespace {

std::string nested(unsigned depth, char open, char close) {
    return std::string(depth, open) + std::string(depth, close);
}

}  // namespace

TEST_CASE("json: a document parses as RapidJSON's own parser would", "[base][json]") {
    rapidjson::Document doc = hull::json::parse(
        R"({"a":[1,-2,3000000000,-5000000000,1.5,true,false,null,"s\u00e9"],"b":{}})", "t.json");
    REQUIRE(doc.IsObject());
    const auto& a = doc["a"];
    REQUIRE(a.Size() == 9);
    CHECK(a[0].GetInt() == 1);
    CHECK(a[1].GetInt() == -2);
    CHECK(a[2].GetUint() == 3000000000u);
    CHECK(a[3].GetInt64() == -5000000000);
    CHECK(a[4].GetDouble() == 1.5);
    CHECK(a[5].GetBool());
    CHECK(a[7].IsNull());
    CHECK(std::string(a[8].GetString()) == "s\xc3\xa9");
    CHECK(doc["b"].IsObject());
}

TEST_CASE("json: a string with NUL bytes keeps its length", "[base][json]") {
    rapidjson::Document doc = hull::json::parse(R"(["a\u0000b"])", "t.json");
    CHECK(doc[0].GetStringLength() == 3);
}

TEST_CASE("json: syntax errors name the source and the offset", "[base][json]") {
    CHECK_THROWS_WITH(hull::json::parse("[1,", "state.json"),
                      Catch::StartsWith("state.json: invalid JSON at offset 3: "));
    CHECK_THROWS_WITH(hull::json::parse("{} x", "config.json"),
                      Catch::StartsWith("config.json: invalid JSON at offset 3: "));
    CHECK_THROWS_AS(hull::json::parse("", "x"), hull::Error);
    rapidjson::Document doc;
    CHECK(hull::json::parse_into(doc, "{\"a\":1}").empty());
    CHECK_THAT(hull::json::parse_into(doc, "nope"), Catch::StartsWith("invalid JSON at offset "));
    CHECK(doc.IsNull());
}

TEST_CASE("json: nesting up to the limit parses, one level more is refused", "[base][json]") {
    CHECK(hull::json::parse(nested(kMaxDepth, '[', ']'), "t.json").IsArray());
    std::string objects;
    for (unsigned i = 0; i < kMaxDepth; ++i)
        objects += "{\"k\":";
    objects += "1" + std::string(kMaxDepth, '}');
    CHECK(hull::json::parse(objects, "t.json").IsObject());
    CHECK_THROWS_WITH(hull::json::parse(nested(kMaxDepth + 1, '[', ']'), "process.json"),
                      "process.json: invalid JSON at offset " + std::to_string(kMaxDepth) +
                          ": arrays and objects nested deeper than 128 levels");
    CHECK_THROWS_WITH(hull::json::parse("{\"a\":" + objects + "}", "t.json"),
                      Catch::Contains("nested deeper than 128 levels"));
}

TEST_CASE("json: a megabyte of open brackets is an error, not a stack overflow", "[base][json]") {
    // The recursive parser this replaced died with SIGSEGV here.
    std::string deep(1 << 20, '[');
    CHECK_THROWS_WITH(hull::json::parse(deep, "config.json"),
                      Catch::Contains("nested deeper than 128 levels"));
    // Deep but unclosed at the limit: a syntax error, after a complete scan.
    CHECK_THROWS_WITH(hull::json::parse(std::string(kMaxDepth, '['), "config.json"),
                      Catch::Contains("invalid JSON at offset 128"));
}

TEST_CASE("json: a document can be reused after a failed parse", "[base][json]") {
    rapidjson::Document doc;
    CHECK_FALSE(hull::json::parse_into(doc, nested(kMaxDepth + 5, '{', '}')).empty());
    CHECK(hull::json::parse_into(doc, "[1,2]").empty());
    REQUIRE(doc.IsArray());
    CHECK(doc.Size() == 2);
}
