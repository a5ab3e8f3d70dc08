// Durations written as Go writes them ("5s", "500ms", "1m30s", "1.5h"), since runc's flags
// take that form and callers pass the same strings to hull.
#pragma once

#include <chrono>
#include <string>

namespace hull {

// A sequence of decimal numbers, each with an optional fraction and a unit of ns, us (or µs),
// ms, s, m or h; "0" alone is zero. Error (naming `what`) on anything else or a negative.
std::chrono::nanoseconds parse_duration(const std::string& text, const std::string& what);

}  // namespace hull
