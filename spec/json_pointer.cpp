#include "spec/json_pointer.hpp"

namespace hull::spec {

std::string json_pointer_escape(std::string_view token) {
    std::string out;
    out.reserve(token.size());
    for (char c : token) {
        if (c == '~') {
            out += "~0";
        } else if (c == '/') {
            out += "~1";
        } else {
            out += c;
        }
    }
    return out;
}

std::string json_pointer_key(const std::string& pointer, std::string_view key) {
    return pointer + "/" + json_pointer_escape(key);
}

std::string json_pointer_index(const std::string& pointer, std::size_t index) {
    return pointer + "/" + std::to_string(index);
}

}  // namespace hull::spec
