#include "runtime/signals.hpp"

#include <signal.h>

#include <cctype>
#include <string_view>
#include <utility>

#include "base/error.hpp"

namespace hull::runtime {

namespace {

constexpr std::pair<std::string_view, int> kSignals[] = {
    {"HUP", SIGHUP},       {"INT", SIGINT},   {"QUIT", SIGQUIT},     {"ILL", SIGILL},
    {"TRAP", SIGTRAP},     {"ABRT", SIGABRT}, {"IOT", SIGIOT},       {"BUS", SIGBUS},
    {"FPE", SIGFPE},       {"KILL", SIGKILL}, {"USR1", SIGUSR1},     {"SEGV", SIGSEGV},
    {"USR2", SIGUSR2},     {"PIPE", SIGPIPE}, {"ALRM", SIGALRM},     {"TERM", SIGTERM},
    {"STKFLT", SIGSTKFLT}, {"CHLD", SIGCHLD}, {"CONT", SIGCONT},     {"STOP", SIGSTOP},
    {"TSTP", SIGTSTP},     {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU},     {"URG", SIGURG},
    {"XCPU", SIGXCPU},     {"XFSZ", SIGXFSZ}, {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF},
    {"WINCH", SIGWINCH},   {"IO", SIGIO},     {"POLL", SIGPOLL},     {"PWR", SIGPWR},
    {"SYS", SIGSYS},
};

bool all_digits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    return true;
}

}  // namespace

int parse_signal(const std::string& text) {
    auto bad = [&]() -> int { throw Error("invalid signal \"" + text + "\""); };
    if (all_digits(text)) {
        long n = std::stol(text.substr(0, 4));
        if (text.size() > 3 || n < 0 || n > SIGRTMAX) bad();
        return static_cast<int>(n);
    }
    std::string upper;
    for (char c : text)
        upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    std::string_view name = upper;
    if (name.substr(0, 3) == "SIG") name.remove_prefix(3);
    for (auto [n, sig] : kSignals)
        if (n == name) return sig;
    // Real-time signals: RTMIN, RTMIN+N, RTMAX, RTMAX-N.
    auto rt = [&](std::string_view base, int origin, int dir) -> int {
        std::string_view rest = name.substr(base.size());
        if (rest.empty()) return origin;
        if (rest[0] != (dir > 0 ? '+' : '-') || !all_digits(rest.substr(1))) return bad();
        int sig = origin + dir * std::stoi(std::string(rest.substr(1)));
        if (sig < SIGRTMIN || sig > SIGRTMAX) return bad();
        return sig;
    };
    if (name.substr(0, 5) == "RTMIN") return rt("RTMIN", SIGRTMIN, +1);
    if (name.substr(0, 5) == "RTMAX") return rt("RTMAX", SIGRTMAX, -1);
    return bad();
}

}  // namespace hull::runtime
