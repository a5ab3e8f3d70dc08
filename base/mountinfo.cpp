#include "base/mountinfo.hpp"

#include <algorithm>
#include <charconv>
#include <string_view>

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

// Without iostreams: a node running many containers has thousands of mounts, and
// parse_mountinfo runs in every create and delete.
std::vector<MountInfo> parse_mountinfo(const std::string& text) {
    std::vector<MountInfo> out;
    std::vector<std::string_view> f;
    std::string_view rest = text;
    while (!rest.empty()) {
        const auto eol = rest.find('\n');
        std::string_view line = rest.substr(0, eol);
        rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 1);
        f.clear();
        while (!line.empty()) {
            const auto space = line.find(' ');
            if (space != 0) f.push_back(line.substr(0, space));
            line = space == std::string_view::npos ? std::string_view() : line.substr(space + 1);
        }
        // id parent major:minor root mountpoint options [optional...] - fstype source super
        if (f.size() < 10) continue;
        auto dash = std::find(f.begin() + 6, f.end(), "-");
        if (f.end() - dash < 4) continue;
        int id = 0;
        std::from_chars(f[0].data(), f[0].data() + f[0].size(), id);
        out.push_back({id, unescape_mountinfo_path(std::string(f[3])),
                       unescape_mountinfo_path(std::string(f[4])), std::string(*(dash + 1)),
                       std::string(*(dash + 2)), std::string(*(dash + 3))});
    }
    return out;
}

}  // namespace hull
