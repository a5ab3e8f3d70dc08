// What features.json claims, and the runtime-spec's own lists, as sets of names: for the tests
// that hold each features list equal to what the code executing it accepts.
#pragma once

#include <exception>
#include <set>
#include <string>

namespace hull::test {

using NameSet = std::set<std::string>;

// The array at a JSON pointer in features.json ("/linux/seccomp/actions"); fails the test if a
// name is listed twice.
NameSet features_names(const char* pointer);

// The enum of a definition in the runtime-spec's defs-linux.json ("SeccompAction").
NameSet spec_enum(const char* definition);

// Whether fn returns without throwing.
template <typename Fn>
bool accepted(Fn fn) {
    try {
        fn();
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

}  // namespace hull::test
