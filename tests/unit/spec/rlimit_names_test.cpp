#include "spec/rlimit_names.hpp"

#include <sys/resource.h>

#include <catch2/catch.hpp>
#include <set>

TEST_CASE("rlimit names map to distinct RLIMIT numbers", "[spec][rlimits]") {
    const auto& names = hull::spec::rlimit_names();
    CHECK(names.size() == RLIMIT_NLIMITS);
    std::set<int> numbers;
    for (const auto& n : names) {
        INFO(n.name);
        CHECK(numbers.insert(n.resource).second);
        CHECK(hull::spec::rlimit_number(n.name) == n.resource);
    }
    CHECK(hull::spec::rlimit_number("RLIMIT_NOFILE") == RLIMIT_NOFILE);
    CHECK_FALSE(hull::spec::rlimit_number("RLIMIT_BOGUS").has_value());
    CHECK_FALSE(hull::spec::rlimit_number("nofile").has_value());
}
