// TAP output for the in-container checker: every check is one line, the plan comes first.
#pragma once

#include <string>
#include <vector>

namespace hull::conformance {

class Tap {
  public:
    void ok(const std::string& name);
    void fail(const std::string& name, const std::string& why);
    void skip(const std::string& name, const std::string& reason);
    // Compares as strings so every mismatch message reads "expected X, got Y".
    void expect_eq(const std::string& name, const std::string& expected, const std::string& got);
    void expect(const std::string& name, bool passed, const std::string& why_not);

    // Prints the plan and all lines; returns the process exit status (0 when nothing failed).
    int finish() const;

  private:
    std::vector<std::string> lines_;
    int failures_ = 0;
};

}  // namespace hull::conformance
