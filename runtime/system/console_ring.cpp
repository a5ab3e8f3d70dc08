#include "runtime/system/console_ring.hpp"

#include <algorithm>
#include <cstring>

namespace hull::system_container {

ConsoleRing::ConsoleRing(std::size_t capacity) : buf_(capacity) {}

void ConsoleRing::append(std::string_view data) {
    const std::size_t cap = buf_.size();
    total_ += data.size();
    if (cap == 0 || data.empty()) return;
    // Only the last `cap` bytes of a big write can survive; skip the rest outright.
    if (data.size() >= cap) {
        data = data.substr(data.size() - cap);
        std::memcpy(buf_.data(), data.data(), cap);
        head_ = 0;
        size_ = cap;
        return;
    }
    std::size_t first = std::min(data.size(), cap - head_);
    std::memcpy(buf_.data() + head_, data.data(), first);
    std::memcpy(buf_.data(), data.data() + first, data.size() - first);
    head_ = (head_ + data.size()) % cap;
    size_ = std::min(cap, size_ + data.size());
}

char ConsoleRing::from_end(std::size_t back) const {
    const std::size_t cap = buf_.size();
    return buf_[(head_ + cap - 1 - back) % cap];
}

std::string ConsoleRing::tail(std::size_t n) const {
    std::string out(n, '\0');
    if (n == 0) return out;
    const std::size_t cap = buf_.size();
    std::size_t start = (head_ + cap - n) % cap;
    std::size_t first = std::min(n, cap - start);
    std::memcpy(out.data(), buf_.data() + start, first);
    std::memcpy(out.data() + first, buf_.data(), n - first);
    return out;
}

std::string ConsoleRing::contents() const {
    return tail(size_);
}

std::string ConsoleRing::recent(std::size_t lines, std::size_t max_bytes) const {
    std::size_t window = std::min(size_, max_bytes);
    if (lines == 0 || window == 0) return {};
    // Walk back from the newest byte. A newline that ends the output ends the last line
    // rather than starting an empty one, so it is not counted.
    std::size_t newlines = 0;
    std::size_t back = from_end(0) == '\n' ? 1 : 0;
    for (; back < window; ++back) {
        if (from_end(back) == '\n' && ++newlines == lines) return tail(back);
    }
    // Fewer than `lines` lines fit. The window's first byte is a line start only when it is
    // the very first byte the console ever printed or follows a newline.
    bool starts_line = window == total_ || (window < size_ && from_end(window) == '\n');
    if (starts_line) return tail(window);
    // Otherwise drop the partial first line, unless that would leave nothing of one long line.
    for (std::size_t b = window; b-- > 0;) {
        if (from_end(b) == '\n') return b == 0 ? tail(window) : tail(b);
    }
    return tail(window);
}

}  // namespace hull::system_container
