#include "support/test_case_names.hpp"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace hull::test {

namespace {

void skip_space(const std::string& s, size_t& i) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i])))
        ++i;
}

// Adjacent "..." literals from i on, joined; empty when there is none.
std::string string_literals(const std::string& s, size_t& i) {
    std::string out;
    for (skip_space(s, i); i < s.size() && s[i] == '"'; skip_space(s, i)) {
        for (++i; i < s.size() && s[i] != '"'; ++i) {
            if (s[i] == '\\' && i + 1 < s.size()) ++i;
            out += s[i];
        }
        ++i;
    }
    return out;
}

void scan(const std::string& text, std::set<std::string>& names) {
    const std::string macro = "TEST_CASE";
    for (size_t at = text.find(macro); at != std::string::npos; at = text.find(macro, at + 1)) {
        if (at > 0 &&
            (std::isalnum(static_cast<unsigned char>(text[at - 1])) || text[at - 1] == '_'))
            continue;
        size_t i = at + macro.size();
        bool method = text.compare(i, 7, "_METHOD") == 0;
        if (method) i += 7;
        skip_space(text, i);
        if (i >= text.size() || text[i] != '(') continue;
        ++i;
        if (method) {
            size_t comma = text.find(',', i);
            if (comma == std::string::npos) continue;
            i = comma + 1;
        }
        std::string name = string_literals(text, i);
        if (!name.empty()) names.insert(name);
    }
}

}  // namespace

std::set<std::string> test_case_names(const std::string& dir) {
    std::set<std::string> names;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
        if (!entry.is_regular_file()) continue;
        auto ext = entry.path().extension().string();
        if (ext != ".cpp" && ext != ".cxx" && ext != ".hpp") continue;
        std::ifstream in(entry.path());
        std::stringstream text;
        text << in.rdbuf();
        scan(text.str(), names);
    }
    return names;
}

}  // namespace hull::test
