#include "conformance/checker/tap.hpp"

#include <cstdio>

namespace hull::conformance {

void Tap::ok(const std::string& name) {
    lines_.push_back("ok " + std::to_string(lines_.size() + 1) + " - " + name);
}

void Tap::fail(const std::string& name, const std::string& why) {
    ++failures_;
    lines_.push_back("not ok " + std::to_string(lines_.size() + 1) + " - " + name + ": " + why);
}

void Tap::skip(const std::string& name, const std::string& reason) {
    lines_.push_back("ok " + std::to_string(lines_.size() + 1) + " - " + name + " # SKIP " +
                     reason);
}

void Tap::expect_eq(const std::string& name, const std::string& expected, const std::string& got) {
    if (expected == got)
        ok(name);
    else
        fail(name, "expected " + expected + ", got " + got);
}

void Tap::expect(const std::string& name, bool passed, const std::string& why_not) {
    if (passed)
        ok(name);
    else
        fail(name, why_not);
}

int Tap::finish() const {
    std::printf("1..%zu\n", lines_.size());
    for (const auto& line : lines_)
        std::printf("%s\n", line.c_str());
    std::fflush(stdout);
    return failures_ == 0 ? 0 : 1;
}

}  // namespace hull::conformance
