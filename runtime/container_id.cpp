#include "runtime/container_id.hpp"

#include "base/error.hpp"

namespace hull::runtime {

void validate_container_id(const std::string& id) {
    auto invalid = [&](const std::string& why) {
        throw Error("invalid container id \"" + id + "\": " + why);
    };
    if (id.empty()) invalid("must not be empty");
    if (id == "." || id == "..") invalid("must not be \".\" or \"..\"");
    if (id.size() > 1024) invalid("longer than 1024 characters");
    for (char c : id) {
        bool word =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        if (!word && c != '+' && c != '-' && c != '.')
            invalid("only letters, digits, '_', '+', '-' and '.' are allowed");
    }
}

}  // namespace hull::runtime
