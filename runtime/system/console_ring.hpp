// The supervisor's memory of a system container's console: the last N bytes it printed, so
// that console.log and a late `hull console` show the recent screens without keeping an
// unbounded log.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hull::system_container {

// The last `capacity` bytes written to the console.
class ConsoleRing {
  public:
    explicit ConsoleRing(std::size_t capacity);

    void append(std::string_view data);
    // Oldest first, at most capacity bytes.
    std::string contents() const;
    // The tail a late attacher sees: the last `lines` lines (starting at a line start), at
    // most max_bytes. When the byte cap falls inside one long line with no line start after
    // it, the raw tail is returned: some output beats none.
    std::string recent(std::size_t lines, std::size_t max_bytes) const;
    std::size_t capacity() const { return buf_.size(); }
    std::size_t size() const { return size_; }

  private:
    // The byte `back` positions before the newest one (0 = newest); back < size_.
    char from_end(std::size_t back) const;
    // The last n bytes (n <= size_), oldest first.
    std::string tail(std::size_t n) const;

    std::vector<char> buf_;
    std::size_t head_ = 0;  // where the next byte goes
    std::size_t size_ = 0;
    std::uint64_t total_ = 0;  // bytes ever appended: tells whether the oldest byte began a line
};

}  // namespace hull::system_container
