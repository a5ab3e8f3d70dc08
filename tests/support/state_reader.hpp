// Reads an OCI state back, as the tests and the state fuzzer check what hull writes: hull
// itself never reads a state it did not write as its own record (container_record.hpp).
#pragma once

#include <string>
#include <string_view>

#include "spec/state.hpp"

namespace hull::test {

// Validates against state-schema.json; a created/running state without a pid is an error
// (spec::ConfigError naming the member).
spec::State parse_state(std::string_view json, const std::string& source);

}  // namespace hull::test
