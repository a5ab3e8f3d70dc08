// One error type for all of hull: a message, the errno that caused it (0 if none),
// and the chain of what was being done, outermost first.
#pragma once

#include <stdexcept>
#include <string>

namespace hull {

class Error : public std::runtime_error {
  public:
    explicit Error(const std::string& message, int err = 0)
        : std::runtime_error(message), errno_(err) {}

    // errno of the failing system call, or 0 when the error is not a system error.
    int code() const noexcept { return errno_; }

    // A copy of this error with "context: " in front of its message, for rethrowing.
    Error with_context(const std::string& context) const {
        return Error(context + ": " + what(), errno_);
    }

  private:
    int errno_;
};

// Throws Error("what: strerror(errno)") carrying the current errno.
[[noreturn]] void throw_errno(const std::string& what);
[[noreturn]] void throw_errno(const std::string& what, int err);

}  // namespace hull
