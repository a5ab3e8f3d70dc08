// Every Catch2 case becomes one CTest entry under its own name (catch_discover_tests). A name
// that CMake or Catch2's command line reads differently becomes an entry that runs nothing
// and passes: ';' splits a CMake list, '[' ']' open a tag, a leading '-' reads as a flag.
#include <catch2/catch.hpp>
#include <string>

#include "support/test_case_names.hpp"

TEST_CASE("every test case name survives CTest discovery", "[tests]") {
    auto names = hull::test::test_case_names(HULL_SOURCE_DIR "/tests");
    REQUIRE(names.size() > 100);
    for (const auto& name : names) {
        INFO(name);
        CHECK(name.find_first_of(";[]\\") == std::string::npos);
        CHECK(name.front() != '-');
    }
}
