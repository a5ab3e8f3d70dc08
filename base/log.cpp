#include "base/log.hpp"

#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>

#include "base/error.hpp"

namespace hull {

namespace {

const char* level_name(LogLevel level) {
    switch (level) {
        case LogLevel::debug:
            return "debug";
        case LogLevel::info:
            return "info";
        case LogLevel::warning:
            return "warning";
        case LogLevel::error:
            return "error";
    }
    return "info";
}

// logrus quotes a text value when it has anything but plain word characters.
std::string text_value(const std::string& s) {
    bool plain = !s.empty();
    for (char c : s) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '.' || c == '_' || c == '/' || c == '@' || c == '^' || c == '+';
        if (!ok) plain = false;
    }
    return plain ? s : "\"" + json_escape(s) + "\"";
}

}  // namespace

std::string json_escape(const std::string& s) {
    std::string out;
    out.reserve(s.size() + 2);
    for (unsigned char c : s) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (c < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    return out;
}

std::string rfc3339_now() {
    struct timespec ts {};
    ::clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm {};
    ::gmtime_r(&ts.tv_sec, &tm);
    char buf[64];
    size_t n = ::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    std::snprintf(buf + n, sizeof buf - n, ".%09ldZ", ts.tv_nsec);
    return buf;
}

Logger::Logger() = default;

Logger::Logger(const std::string& path, LogFormat format, bool debug)
    : format_(format), debug_(debug) {
    if (!path.empty()) {
        int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (fd < 0) throw_errno("open log file " + path);
        fd_.reset(fd);
    }
}

std::string Logger::format_line(LogFormat format, LogLevel level, const std::string& msg,
                                const std::string& time) {
    if (format == LogFormat::json) {
        return "{\"level\":\"" + std::string(level_name(level)) + "\",\"msg\":\"" +
               json_escape(msg) + "\",\"time\":\"" + time + "\"}\n";
    }
    return "time=\"" + time + "\" level=" + level_name(level) + " msg=" + text_value(msg) + "\n";
}

void Logger::log(LogLevel level, const std::string& msg) const {
    if (level == LogLevel::debug && !debug_) return;
    std::string line = format_line(format_, level, msg, rfc3339_now());
    // One write(2) per line so that concurrent writers (O_APPEND) never interleave.
    ssize_t ignored = ::write(fd(), line.data(), line.size());
    (void)ignored;
}

}  // namespace hull
