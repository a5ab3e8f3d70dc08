// The man pages and completions are generated from the same CommandLine as --help: every
// command and every option of the definition must appear in them, so they cannot drift.
#include "runtime/cli/manual.hpp"

#include <catch2/catch.hpp>
#include <set>

#include "runtime/cli/command_line.hpp"

using hull::cli::CommandLine;

namespace {

const hull::cli::ManPage* find_page(const std::vector<hull::cli::ManPage>& pages,
                                    const std::string& name) {
    for (const auto& page : pages) {
        if (page.name == name) return &page;
    }
    return nullptr;
}

// How roff spells an option name: every '-' escaped.
std::string roff_name(const std::string& name) {
    std::string out;
    for (char ch : name)
        out += ch == '-' ? std::string("\\-") : std::string(1, ch);
    return out;
}

}  // namespace

TEST_CASE("every command has its manual entry: synopsis extras and exit status") {
    CommandLine command_line;
    CHECK(hull::cli::undocumented_commands(command_line.app()).empty());
}

TEST_CASE("a man page per command, each naming every option of the command") {
    CommandLine command_line;
    const CLI::App& app = command_line.app();
    auto pages = hull::cli::man_pages(app, "9.9.9");

    const auto* root = find_page(pages, "hull");
    REQUIRE(root);
    CHECK_THAT(root->text, Catch::Contains(".TH HULL 8"));
    CHECK_THAT(root->text, Catch::Contains("hull 9.9.9"));
    CHECK_THAT(root->text, Catch::Contains(".SH EXIT STATUS"));
    for (const CLI::Option* opt : app.get_options()) {
        for (const auto& l : opt->get_lnames()) {
            if (l == "help" || l == "help-all") continue;
            CHECK_THAT(root->text, Catch::Contains(roff_name("--" + l)));
        }
    }

    std::set<std::string> names;
    for (const auto& page : pages)
        names.insert(page.name);
    for (const char* expected :
         {"hull-create", "hull-run", "hull-start", "hull-state", "hull-kill", "hull-delete",
          "hull-exec", "hull-list", "hull-bundle-new", "hull-update", "hull-console"}) {
        CHECK(names.count(expected) == 1);
    }
    for (const CLI::App* sub : app.get_subcommands({})) {
        if (!sub->get_subcommands({}).empty()) continue;
        const auto* page = find_page(pages, "hull-" + sub->get_name());
        REQUIRE(page);
        INFO(page->name);
        CHECK_THAT(page->text, Catch::Contains(".SH EXIT STATUS"));
        CHECK_THAT(page->text, Catch::Contains(roff_name(sub->get_description())));
        for (const CLI::Option* opt : sub->get_options()) {
            for (const auto& l : opt->get_lnames()) {
                if (l == "help" || l == "help-all") continue;
                CHECK_THAT(page->text, Catch::Contains(roff_name("--" + l)));
            }
            for (const auto& s : opt->get_snames()) {
                if (s == "h") continue;
                CHECK_THAT(page->text, Catch::Contains(roff_name("-" + s)));
            }
        }
    }
}

TEST_CASE("the foreground commands document the container's exit status") {
    CommandLine command_line;
    auto pages = hull::cli::man_pages(command_line.app(), "0");
    for (const char* name : {"hull-run", "hull-exec"}) {
        const auto* page = find_page(pages, name);
        REQUIRE(page);
        CHECK_THAT(page->text, Catch::Contains("128+N"));
    }
    const auto* exec = find_page(pages, "hull-exec");
    REQUIRE(exec);
    CHECK_THAT(exec->text, Catch::Contains("\\fIcommand [arg...]\\fR"));
}

TEST_CASE("a line that would start with a roff request is escaped") {
    CommandLine command_line;
    for (const auto& page : hull::cli::man_pages(command_line.app(), "0")) {
        std::stringstream lines(page.text);
        for (std::string line; std::getline(lines, line);) {
            if (line.empty() || line[0] != '.') continue;
            INFO(page.name << ": " << line);
            // Only the requests the generator writes itself.
            bool known = false;
            for (const char* request : {".TH ", ".SH ", ".TP", ".PP", ".\\\""}) {
                if (line.rfind(request, 0) == 0) known = true;
            }
            CHECK(known);
        }
    }
}

TEST_CASE("the completions offer every command, option and choice of the definition") {
    CommandLine command_line;
    const CLI::App& app = command_line.app();
    std::string bash = hull::cli::bash_completion(app);
    std::string zsh = hull::cli::zsh_completion(app);
    CHECK_THAT(bash, Catch::Contains("complete -F _hull hull"));
    CHECK_THAT(zsh, Catch::StartsWith("#compdef hull\n"));
    for (const CLI::App* sub : app.get_subcommands({})) {
        CHECK_THAT(bash, Catch::Contains(sub->get_name()));
        CHECK_THAT(zsh, Catch::Contains("'" + sub->get_name() + ":"));
    }
    CHECK_THAT(bash, Catch::Contains("compgen -W \"text json\""));
    CHECK_THAT(zsh, Catch::Contains(":(table json)"));
    CHECK_THAT(zsh, Catch::Contains("_hull_bundle_new()"));
}
