// `hull console ID` running in the background with pipes for stdin, stdout and stderr, so
// that a test can wait for output, type, and detach.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "base/unique_fd.hpp"

namespace hull::test {

class AttachedConsole {
  public:
    explicit AttachedConsole(const std::vector<std::string>& argv);
    ~AttachedConsole();  // kills the client if it still runs
    AttachedConsole(const AttachedConsole&) = delete;
    AttachedConsole& operator=(const AttachedConsole&) = delete;

    // Reads stdout until it contains text (true) or the time is up / the client ended (false).
    bool read_until(const std::string& text, int seconds);
    void type(const std::string& keys);
    // Waits for the client to end (killing it after `seconds`); its exit status.
    int wait(int seconds);

    const std::string& out() const { return out_; }
    std::string err();

  private:
    pid_t pid_ = -1;
    unique_fd in_, out_fd_, err_fd_;
    std::string out_;
};

}  // namespace hull::test
