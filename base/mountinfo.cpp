#include "base/mountinfo.hpp"

#include <algorithm>
#include <cstdlib>
#include <sstream>

namespace hull {

std::string unescape_mountinfo_path(const std::string& field) {
    std::string out;
    for (size_t i = 0; i < field.size(); ++i) {
        bool octal = field[i] == '\\' && i + 3 < field.size();
        if (octal && std::all_of(field.begin() + static_cast<long>(i) + 1,
                                 field.begin() + static_cast<long>(i) + 4,
                                 [](char c) { return c >= '0' && c <= '7'; })) {
            out += static_cast<char>((field[i + 1] - '0') * 64 + (field[i + 2] - '0') * 8 +
                                     (field[i + 3] - '0'));
            i += 3;
        } else {
            out += field[i];
        }
    }
    return out;
}

bool path_at_or_below(const std::string& path, const std::string& dir) {
    return path == dir || (path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 &&
                           (dir == "/" || path[dir.size()] == '/'));
}

std::vector<MountInfo> parse_mountinfo(const std::string& text) {
    std::vector<MountInfo> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        std::istringstream words(line);
        std::vector<std::string> f;
        for (std::string w; words >> w;)
            f.push_back(w);
        // id parent major:minor root mountpoint options [optional...] - fstype source super
        if (f.size() < 10) continue;
        auto dash = std::find(f.begin() + 6, f.end(), "-");
        if (f.end() - dash < 4) continue;
        out.push_back({std::atoi(f[0].c_str()), unescape_mountinfo_path(f[3]),
                       unescape_mountinfo_path(f[4]), *(dash + 1), *(dash + 2), *(dash + 3)});
    }
    return out;
}

}  // namespace hull
