#include "base/duration.hpp"

#include <cctype>
#include <string_view>

#include "base/error.hpp"

namespace hull {

namespace {

struct Unit {
    std::string_view name;
    long double nanoseconds;
};

// Longest names first, so that "ms" is not read as "m" followed by "s".
constexpr Unit kUnits[] = {{"ns", 1},  {"us", 1e3}, {"\xC2\xB5s", 1e3}, {"ms", 1e6},
                           {"s", 1e9}, {"m", 60e9}, {"h", 3600e9}};

}  // namespace

std::chrono::nanoseconds parse_duration(const std::string& text, const std::string& what) {
    auto bad = [&]() -> std::chrono::nanoseconds {
        throw Error(what + ": invalid duration \"" + text + "\" (expected e.g. 5s, 500ms, 1m30s)");
    };
    if (text == "0") return std::chrono::nanoseconds(0);
    std::string_view rest = text;
    if (rest.empty()) return bad();
    long double total = 0;
    while (!rest.empty()) {
        size_t digits = 0;
        while (digits < rest.size() &&
               (std::isdigit(static_cast<unsigned char>(rest[digits])) || rest[digits] == '.'))
            ++digits;
        std::string number(rest.substr(0, digits));
        if (number.empty() || number == "." || number.find('.') != number.rfind('.')) return bad();
        rest.remove_prefix(digits);
        const Unit* unit = nullptr;
        for (const Unit& u : kUnits) {
            if (rest.substr(0, u.name.size()) == u.name) {
                unit = &u;
                break;
            }
        }
        if (!unit) return bad();
        rest.remove_prefix(unit->name.size());
        total += std::stold(number) * unit->nanoseconds;
    }
    // About 292 years, the range of a signed 64-bit count of nanoseconds.
    if (total > 9.2e18L) return bad();
    return std::chrono::nanoseconds(static_cast<long long>(total));
}

}  // namespace hull
