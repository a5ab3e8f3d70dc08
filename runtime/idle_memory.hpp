// A created container's init may wait for `start` for a long time; while it does, the pages
// of code it ran during setup only take up memory.
#pragma once

#include <cstddef>
#include <cstdint>

namespace hull::runtime {

// The private executable file mappings of this process (hull's own code, libc, the loader),
// found first so that dropping them runs as little code as possible afterwards.
struct CodeRanges {
    static constexpr std::size_t kMax = 16;
    std::uintptr_t start[kMax] = {};
    std::uintptr_t end[kMax] = {};
    std::size_t count = 0;
};
CodeRanges find_code_ranges(int procfs);  // procfs: a verified /proc handle

// Drops their resident pages. Code is never written, so nothing is lost: a page comes back
// from the page cache, a minor fault, when it runs again. Call it right before blocking:
// whatever runs after it faults its pages back in, 64 KiB at a time (fault-around).
void release_code_pages(const CodeRanges& ranges);

}  // namespace hull::runtime
