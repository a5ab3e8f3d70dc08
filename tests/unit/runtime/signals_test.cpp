#include "runtime/signals.hpp"

#include <signal.h>

#include <catch2/catch.hpp>

#include "base/error.hpp"
#include "runtime/container_id.hpp"

using hull::runtime::parse_signal;

TEST_CASE("signals by name, with or without SIG, by number, and real-time") {
    CHECK(parse_signal("KILL") == SIGKILL);
    CHECK(parse_signal("SIGKILL") == SIGKILL);
    CHECK(parse_signal("sigterm") == SIGTERM);
    CHECK(parse_signal("9") == 9);
    CHECK(parse_signal("RTMIN") == SIGRTMIN);
    CHECK(parse_signal("SIGRTMIN+3") == SIGRTMIN + 3);
    CHECK(parse_signal("RTMAX-1") == SIGRTMAX - 1);
    CHECK_THROWS_AS(parse_signal("NOPE"), hull::Error);
    // The null signal, as kill(2) and runc take it: "is it alive?".
    CHECK(parse_signal("0") == 0);
    CHECK_THROWS_AS(parse_signal("65"), hull::Error);
    CHECK_THROWS_AS(parse_signal("RTMIN+99"), hull::Error);
    CHECK_THROWS_AS(parse_signal(""), hull::Error);
}

TEST_CASE("container ids follow runc's rule") {
    using hull::runtime::validate_container_id;
    for (const char* ok : {"a", "A-b_c.d+e", "123", "x..y"})
        CHECK_NOTHROW(validate_container_id(ok));
    for (const char* bad : {"", ".", "..", "a/b", "a b", "a:b", "ü"})
        CHECK_THROWS_AS(validate_container_id(bad), hull::Error);
}
