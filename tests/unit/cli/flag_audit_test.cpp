// Issue 17: no option without a test or an honest "accepted for compatibility". Walks the
// command line that hull parses (every command, every option, the global ones too) against
// flag_audit_table.hpp, so that a new flag without an entry, or an entry left behind by a flag
// that is gone, fails here.
#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "flag_audit_table.hpp"
#include "runtime/cli/command_line.hpp"
#include "support/test_case_names.hpp"

namespace audit = hull::test::flag_audit;

namespace {

// "<command path> --<long name>" -> the option's --help description.
void walk(const CLI::App* app, const std::string& path,
          std::map<std::string, std::string>& options) {
    for (const CLI::Option* opt : app->get_options()) {
        if (!opt->nonpositional()) continue;  // container ids, bundle dirs: not flags
        // Every command's --help is a copy of the global one, which the table covers.
        bool help = opt == app->get_help_ptr() || opt == app->get_help_all_ptr();
        if (help && app->get_parent() != nullptr) continue;
        std::string name = opt->get_lnames().empty() ? "-" + opt->get_snames().front()
                                                     : "--" + opt->get_lnames().front();
        options[path + name] = opt->get_description();
    }
    for (const CLI::App* sub : app->get_subcommands([](const CLI::App*) { return true; }))
        walk(sub, path + sub->get_name() + " ", options);
}

std::map<std::string, std::string> all_options() {
    hull::cli::CommandLine cl;
    std::map<std::string, std::string> options;
    walk(&cl.app(), "", options);
    return options;
}

bool says_compatibility(const std::string& description) {
    return description.find("accepted for") != std::string::npos &&
           description.find("compatibility") != std::string::npos;
}

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

TEST_CASE("flag audit: the walk finds the commands and options hull parses") {
    auto options = all_options();
    // The walk itself is what the audit rests on: it must reach nested commands and globals.
    for (const char* known : {"--root", "--criu", "exec --ignore-paused", "bundle new --template",
                              "update --blkio-weight", "console --detach-keys"})
        CHECK(options.count(known) == 1);
    CHECK(options.size() > 60);
}

TEST_CASE("flag audit: every option of every command has exactly one entry, and no entry more") {
    auto options = all_options();
    std::map<std::string, int> entries;
    for (const auto& t : audit::kTested)
        ++entries[t.option];
    for (const auto& c : audit::kAcceptedForCompatibility)
        ++entries[c.option];
    for (const auto& u : audit::kUntested)
        ++entries[u.option];
    for (const auto& [option, description] : options) {
        INFO("option without an entry in tests/unit/cli/flag_audit_table.hpp: " << option);
        auto entry = entries.find(option);
        CHECK((entry == entries.end() ? 0 : entry->second) == 1);
    }
    for (const auto& [option, count] : entries) {
        INFO("entry for an option hull does not have (or twice): " << option);
        CHECK(options.count(option) == 1);
        CHECK(count == 1);
    }
}

TEST_CASE("flag audit: every test case the table names exists") {
    auto names = hull::test::test_case_names(HULL_SOURCE_DIR "/tests");
    REQUIRE(names.size() > 100);
    for (const auto& t : audit::kTested) {
        INFO(t.option << " names a test case that does not exist: \"" << t.test_case << "\"");
        CHECK(names.count(t.test_case) == 1);
    }
}

TEST_CASE(
    "flag audit: accepted for compatibility is exactly what --help says so of, and README lists "
    "it") {
    auto options = all_options();
    std::set<std::string> by_help;
    for (const auto& [option, description] : options)
        if (says_compatibility(description)) by_help.insert(option);
    std::set<std::string> by_table;
    for (const auto& c : audit::kAcceptedForCompatibility)
        by_table.insert(c.option);
    CHECK(by_help == by_table);

    std::string readme = read_text(HULL_SOURCE_DIR "/README.md");
    REQUIRE_FALSE(readme.empty());
    for (const auto& c : audit::kAcceptedForCompatibility) {
        INFO(c.option << ": " << c.reason);
        CHECK(readme.find("`" + c.option + "`") != std::string::npos);
        // Accepted means accepted: the flag parses in front of any command.
        hull::cli::CommandLine cl;
        std::vector<std::string> args = {"hull"};
        args.insert(args.end(), c.example.begin(), c.example.end());
        args.push_back("features");
        std::vector<const char*> argv;
        for (const auto& a : args)
            argv.push_back(a.c_str());
        CHECK_NOTHROW(cl.app().parse(static_cast<int>(argv.size()), argv.data()));
        CHECK(cl.action());
    }
}

TEST_CASE("flag audit: the list of options without a test only shrinks") {
    for (const auto& u : audit::kUntested)
        WARN("no test shows the effect of " << u.option << " (" << u.note << ")");
    CHECK(audit::kUntested.size() <= audit::kUntestedMax);
}
