// Runs a function in a forked child and brings back what it saw. The child never runs Catch2
// assertions: it reports through a pipe and always leaves with _exit; the parent reaps it.
#pragma once

#include <functional>
#include <string>

namespace hull::security::test {

struct ChildResult {
    bool exited = false;  // normal exit (else killed by `signal`)
    int exit_code = -1;   // 0: fn returned; 1: fn threw (output is the message)
    int signal = 0;
    std::string output;  // fn's return value or the exception message
    bool ok() const { return exited && exit_code == 0; }
};

ChildResult run_in_child(const std::function<std::string()>& fn);

// One "Name:\tvalue" line of /proc/self/status, value only, trailing spaces
// trimmed (tabs inside the value kept).
std::string status_field(const std::string& name);

}  // namespace hull::security::test
