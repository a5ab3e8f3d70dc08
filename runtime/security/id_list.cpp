#include "runtime/security/id_list.hpp"

#include <algorithm>
#include <cstdint>

#include "base/error.hpp"

namespace hull::security {

namespace {

unsigned parse_id(const std::string& text, const std::string& item, const std::string& what) {
    if (text.empty()) throw Error(what + " \"" + item + "\": missing number");
    std::uint64_t value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') {
            throw Error(what + " \"" + item + "\": not a number or range");
        }
        value = value * 10 + static_cast<unsigned>(c - '0');
        if (value > kMaxListId) {
            throw Error(what + " \"" + item + "\": number above " + std::to_string(kMaxListId));
        }
    }
    return static_cast<unsigned>(value);
}

}  // namespace

std::vector<unsigned> parse_id_list(const std::string& list, const std::string& what) {
    std::string text = list;
    if (!text.empty() && text.back() == '\n') text.pop_back();
    if (text.empty()) throw Error(what + ": empty list");

    std::vector<unsigned> ids;
    size_t pos = 0;
    for (;;) {
        size_t comma = text.find(',', pos);
        std::string item = text.substr(pos, comma == std::string::npos ? comma : comma - pos);
        if (item.empty()) throw Error(what + " \"" + list + "\": empty item");
        size_t dash = item.find('-');
        if (dash == std::string::npos) {
            ids.push_back(parse_id(item, item, what));
        } else {
            unsigned first = parse_id(item.substr(0, dash), item, what);
            unsigned last = parse_id(item.substr(dash + 1), item, what);
            if (last < first) throw Error(what + " \"" + item + "\": range end before start");
            for (unsigned id = first; id <= last; ++id)
                ids.push_back(id);
        }
        if (comma == std::string::npos) break;
        pos = comma + 1;
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
}

}  // namespace hull::security
