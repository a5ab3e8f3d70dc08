// An invalid config.json (or state.json, features.json, process.json): names the document,
// the JSON pointer of the offending value and what was expected, on one line.
#pragma once

#include <string>

#include "base/error.hpp"

namespace hull::spec {

class ConfigError : public hull::Error {
  public:
    // what() is "<source>: <pointer>: <message>", or "<source>: <message>" when the pointer
    // is empty (errors about the document as a whole, such as a JSON syntax error).
    ConfigError(const std::string& source, const std::string& pointer, const std::string& message)
        : hull::Error(format(source, pointer, message)),
          source_(source),
          pointer_(pointer),
          message_(message) {}

    const std::string& source() const noexcept { return source_; }
    // RFC 6901 pointer into the document, e.g. "/linux/namespaces/2/type".
    const std::string& pointer() const noexcept { return pointer_; }
    // The message without source and pointer.
    const std::string& message() const noexcept { return message_; }

  private:
    static std::string format(const std::string& source, const std::string& pointer,
                              const std::string& message) {
        if (pointer.empty()) return source + ": " + message;
        return source + ": " + pointer + ": " + message;
    }

    std::string source_;
    std::string pointer_;
    std::string message_;
};

}  // namespace hull::spec
