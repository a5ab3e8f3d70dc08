#include "spec/json_pointer.hpp"

#include <catch2/catch.hpp>

using hull::spec::json_pointer_escape;
using hull::spec::json_pointer_index;
using hull::spec::json_pointer_key;

TEST_CASE("json pointer tokens escape tilde and slash", "[spec][json_pointer]") {
    CHECK(json_pointer_escape("") == "");
    CHECK(json_pointer_escape("plain") == "plain");
    CHECK(json_pointer_escape("a/b") == "a~1b");
    CHECK(json_pointer_escape("a~b") == "a~0b");
    // "~" first, so "~1" in a key stays two characters and does not read back as "/".
    CHECK(json_pointer_escape("~1") == "~01");
    CHECK(json_pointer_escape("/~/") == "~1~0~1");
}

TEST_CASE("json pointers extend by key and by index", "[spec][json_pointer]") {
    CHECK(json_pointer_key("", "linux") == "/linux");
    CHECK(json_pointer_key("/linux/sysctl", "net/ipv4.ip_forward") ==
          "/linux/sysctl/net~1ipv4.ip_forward");
    CHECK(json_pointer_key("/annotations", "") == "/annotations/");
    CHECK(json_pointer_index("/mounts", 0) == "/mounts/0");
    CHECK(json_pointer_index("/process/args", 12) == "/process/args/12");
}
