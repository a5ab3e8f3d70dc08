// /proc/<pid>/mountinfo, one entry per line (proc(5)): enough of each mount to find it.
#pragma once

#include <string>
#include <vector>

namespace hull {

struct MountInfo {
    int id = 0;              // unique while mounted; reused once unmounted
    std::string root;        // the path inside its filesystem that is mounted
    std::string mountpoint;  // as the reading process sees it, octal escapes decoded
    std::string fstype;
    std::string source;
    std::string super_options;
};

// Lines that do not have the fields proc(5) describes are skipped.
std::vector<MountInfo> parse_mountinfo(const std::string& text);

// Whether path is dir or below it, component-wise ("/a/bc" is not below "/a/b").
bool path_at_or_below(const std::string& path, const std::string& dir);

// "\040" -> " ": mountinfo escapes space, tab, newline and backslash in paths.
std::string unescape_mountinfo_path(const std::string& field);

}  // namespace hull
