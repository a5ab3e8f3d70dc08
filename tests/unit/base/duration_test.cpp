#include "base/duration.hpp"

#include <catch2/catch.hpp>

#include "base/error.hpp"

using namespace std::chrono_literals;
using hull::parse_duration;

TEST_CASE("durations as Go and runc write them") {
    CHECK(parse_duration("5s", "--interval") == 5s);
    CHECK(parse_duration("500ms", "--interval") == 500ms);
    CHECK(parse_duration("1m30s", "--interval") == 90s);
    CHECK(parse_duration("1.5h", "--interval") == 90min);
    CHECK(parse_duration("250us", "--interval") == 250us);
    CHECK(parse_duration("250\xC2\xB5s", "--interval") == 250us);
    CHECK(parse_duration("10ns", "--interval") == 10ns);
    CHECK(parse_duration("0", "--interval") == 0ns);
}

TEST_CASE("a duration without a unit, with a sign or garbage is an error naming the flag") {
    for (const char* text : {"", "5", "-1s", "1x", "s", "1..5s", "1s2", "5 s", "1e3s"}) {
        INFO(text);
        CHECK_THROWS_WITH(parse_duration(text, "--interval"),
                          Catch::Contains("--interval: invalid duration"));
    }
}
