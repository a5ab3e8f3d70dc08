#include "runtime/socket_activation.hpp"

#include <unistd.h>

#include <cstdlib>
#include <string>

#include "base/error.hpp"

namespace hull::runtime {

namespace {

bool parse_count(const char* text, long& value) {
    if (!text || !*text) return false;
    char* end = nullptr;
    value = std::strtol(text, &end, 10);
    return *end == '\0' && value >= 0;
}

}  // namespace

int inherited_listen_fds() {
    long pid = 0, count = 0;
    if (!parse_count(std::getenv("LISTEN_PID"), pid) || pid != ::getpid()) return 0;
    const char* fds = std::getenv("LISTEN_FDS");
    if (!parse_count(fds, count) || count > 1000)
        throw Error(std::string("LISTEN_FDS: \"") + (fds ? fds : "") +
                    "\" is not a count of file descriptors");
    return static_cast<int>(count);
}

void add_listen_env(spec::Process& process, int count) {
    std::erase_if(process.env, [](const std::string& e) {
        return e.rfind("LISTEN_FDS=", 0) == 0 || e.rfind("LISTEN_PID=", 0) == 0 ||
               e.rfind("LISTEN_FDNAMES=", 0) == 0;
    });
    process.env.push_back("LISTEN_FDS=" + std::to_string(count));
    if (const char* names = std::getenv("LISTEN_FDNAMES"))
        process.env.push_back(std::string("LISTEN_FDNAMES=") + names);
}

}  // namespace hull::runtime
