// runc-compatible logging: logrus text lines or JSON lines
// ({"level":"error","msg":"...","time":"RFC3339"}) that containerd's shim parses.
// The Logger is created by the CLI and passed by reference; there is no global logger.
#pragma once

#include <string>

#include "base/unique_fd.hpp"

namespace hull {

enum class LogLevel { debug, info, warning, error };
enum class LogFormat { text, json };

class Logger {
  public:
    // path empty: log lines go to stderr. debug: also emit debug lines.
    Logger(const std::string& path, LogFormat format, bool debug);
    Logger();  // stderr, text, no debug

    void log(LogLevel level, const std::string& msg) const;
    void debug(const std::string& msg) const { log(LogLevel::debug, msg); }
    void info(const std::string& msg) const { log(LogLevel::info, msg); }
    void warn(const std::string& msg) const { log(LogLevel::warning, msg); }
    void error(const std::string& msg) const { log(LogLevel::error, msg); }

    bool debug_enabled() const { return debug_; }
    bool to_file() const { return fd_.valid(); }
    int fd() const { return fd_.valid() ? fd_.get() : 2; }

    // Formats one line exactly as it would be written (exposed for tests).
    static std::string format_line(LogFormat format, LogLevel level, const std::string& msg,
                                   const std::string& time);

  private:
    unique_fd fd_;
    LogFormat format_ = LogFormat::text;
    bool debug_ = false;
};

// Current time as RFC 3339 with nanoseconds in UTC, the way Go's time package prints it.
std::string rfc3339_now();

// JSON string escaping shared by the log and other hand-written JSON.
std::string json_escape(const std::string& s);

}  // namespace hull
