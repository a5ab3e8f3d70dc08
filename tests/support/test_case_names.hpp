// The names of the Catch2 test cases in a source tree, read from the sources themselves, so
// that the audit tables (tests/unit/*/..._audit_table.hpp) can only name tests that exist.
#pragma once

#include <set>
#include <string>

namespace hull::test {

// Every name given to TEST_CASE or TEST_CASE_METHOD in the .cpp, .cxx and .hpp files under
// dir, with adjacent string literals joined and simple escapes undone.
std::set<std::string> test_case_names(const std::string& dir);

}  // namespace hull::test
