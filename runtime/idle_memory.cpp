#include "runtime/idle_memory.hpp"

#include <fcntl.h>
#include <sys/mman.h>

#include <cstdint>
#include <sstream>
#include <string>

#include "base/file.hpp"
#include "base/procfs.hpp"

namespace hull::runtime {

CodeRanges find_code_ranges(int procfs) {
    CodeRanges ranges;
    unique_fd maps = open_in_procfs(procfs, "self/maps", O_RDONLY);
    std::istringstream lines(read_fd(maps.get(), "/proc/self/maps"));
    for (std::string line; std::getline(lines, line) && ranges.count < CodeRanges::kMax;) {
        // start-end perms offset dev inode path
        std::istringstream fields(line);
        std::string range, perms, offset, dev, inode, path;
        fields >> range >> perms >> offset >> dev >> inode >> path;
        // Only read-only, executable, private mappings of a file: never written, so their
        // pages always equal the file's.
        if (perms != "r-xp" || path.empty() || path[0] != '/') continue;
        auto dash = range.find('-');
        ranges.start[ranges.count] = std::stoull(range.substr(0, dash), nullptr, 16);
        ranges.end[ranges.count] = std::stoull(range.substr(dash + 1), nullptr, 16);
        ++ranges.count;
    }
    return ranges;
}

void release_code_pages(const CodeRanges& ranges) {
    for (std::size_t i = 0; i < ranges.count; ++i)
        ::madvise(reinterpret_cast<void*>(ranges.start[i]), ranges.end[i] - ranges.start[i],
                  MADV_DONTNEED);
}

}  // namespace hull::runtime
