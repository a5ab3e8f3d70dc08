#include <catch2/catch.hpp>

#include "base/error.hpp"
#include "runtime/security/id_list.hpp"

using hull::security::parse_id_list;

TEST_CASE("parse_id_list expands ranges and single ids", "[security][id_list]") {
    CHECK(parse_id_list("0-2,5", "cpu list") == std::vector<unsigned>{0, 1, 2, 5});
    CHECK(parse_id_list("3", "cpu list") == std::vector<unsigned>{3});
    CHECK(parse_id_list("7,1-1,0", "cpu list") == std::vector<unsigned>{0, 1, 7});
    CHECK(parse_id_list("2-3,3-4", "cpu list") == std::vector<unsigned>{2, 3, 4});
    CHECK(parse_id_list("0-1\n", "cpu list") == std::vector<unsigned>{0, 1});
    CHECK(parse_id_list("65535", "cpu list") == std::vector<unsigned>{65535});
}

TEST_CASE("parse_id_list rejects malformed lists with the item named", "[security][id_list]") {
    CHECK_THROWS_WITH(parse_id_list("", "cpu list"), "cpu list: empty list");
    CHECK_THROWS_WITH(parse_id_list("1,", "cpu list"), Catch::Contains("empty item"));
    CHECK_THROWS_WITH(parse_id_list(",1", "cpu list"), Catch::Contains("empty item"));
    CHECK_THROWS_WITH(parse_id_list("1,,2", "cpu list"), Catch::Contains("empty item"));
    CHECK_THROWS_WITH(parse_id_list("a", "cpu list"), Catch::Contains("\"a\""));
    CHECK_THROWS_WITH(parse_id_list("1 2", "cpu list"), Catch::Contains("not a number"));
    CHECK_THROWS_WITH(parse_id_list("-1", "cpu list"), Catch::Contains("missing number"));
    CHECK_THROWS_WITH(parse_id_list("1-", "cpu list"), Catch::Contains("missing number"));
    CHECK_THROWS_WITH(parse_id_list("1-2-3", "cpu list"), Catch::Contains("not a number"));
    CHECK_THROWS_WITH(parse_id_list("3-1", "nodes"), "nodes \"3-1\": range end before start");
    CHECK_THROWS_WITH(parse_id_list("65536", "cpu list"), Catch::Contains("number above 65535"));
    CHECK_THROWS_WITH(parse_id_list("0-99999999999999999999", "cpu list"),
                      Catch::Contains("number above"));
}
