// stdin in raw mode for as long as the object lives (when stdin is a terminal and enable is
// true), for `hull run` with a terminal and `hull console`. The settings come back on every
// exit path.
#pragma once

#include <termios.h>
#include <unistd.h>

namespace hull::runtime {

class RawTerminal {
  public:
    explicit RawTerminal(bool enable = true) {
        if (!enable || !::isatty(0) || ::tcgetattr(0, &saved_) < 0) return;
        struct termios raw = saved_;
        ::cfmakeraw(&raw);
        active_ = ::tcsetattr(0, TCSANOW, &raw) == 0;
    }
    ~RawTerminal() {
        // TCSAFLUSH: what was typed in raw mode is not read as cooked input afterwards.
        if (active_) ::tcsetattr(0, TCSAFLUSH, &saved_);
    }
    RawTerminal(const RawTerminal&) = delete;
    RawTerminal& operator=(const RawTerminal&) = delete;

  private:
    struct termios saved_ {};
    bool active_ = false;
};

}  // namespace hull::runtime
