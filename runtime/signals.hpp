#pragma once

#include <string>

namespace hull::runtime {

// "KILL", "SIGKILL", "9", "RTMIN+3", "SIGRTMIN+3" -> signal number; "0" -> 0, the null
// signal (kill(2): only checks that the process exists); Error otherwise.
int parse_signal(const std::string& text);

}  // namespace hull::runtime
