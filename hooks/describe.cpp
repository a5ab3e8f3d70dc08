#include <string.h>

#include "hooks/run_hooks.hpp"

namespace hull::hooks {

namespace {

// Long enough for any useful diagnostic, short enough for one log line.
constexpr size_t kExcerptCap = 4096;

std::string trim(const std::string& s) {
    const char* space = " \t\r\n\v\f";
    size_t first = s.find_first_not_of(space);
    if (first == std::string::npos) return "";
    size_t last = s.find_last_not_of(space);
    return s.substr(first, last - first + 1);
}

// The tail of the hook's stderr, or of its stdout when it wrote nothing to stderr:
// plenty of hooks report errors on stdout.
std::string excerpt(const HookResult& result) {
    std::string text = trim(result.err);
    std::string label;
    if (text.empty()) {
        text = trim(result.out);
        label = "stdout: ";
    }
    if (text.empty()) return "";
    if (text.size() > kExcerptCap) text = "..." + text.substr(text.size() - kExcerptCap);
    return ": " + label + text;
}

std::string signal_text(int sig) {
    const char* abbrev = ::sigabbrev_np(sig);
    return abbrev ? std::string("SIG") + abbrev : std::to_string(sig);
}

}  // namespace

std::string describe_failure(const spec::Hook& hook, const HookResult& result) {
    std::string head = "hook " + hook.path;
    if (result.timed_out) {
        return head + " timed out after " + std::to_string(hook.timeout.value_or(0)) +
               "s (killed its process group)" + excerpt(result);
    }
    if (result.term_signal != 0)
        return head + " failed: killed by signal " + signal_text(result.term_signal) +
               excerpt(result);
    if (result.exit_status != 0)
        return head + " failed: exit status " + std::to_string(result.exit_status) +
               excerpt(result);
    return "";
}

}  // namespace hull::hooks
