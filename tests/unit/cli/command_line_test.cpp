// hull builds only the options of the command it runs; every other way in (help, an unknown
// command, hull-docgen) still sees every command.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "runtime/cli/command_line.hpp"

namespace {

std::vector<std::string> commands_built(std::vector<std::string> args) {
    args.insert(args.begin(), "hull");
    std::vector<const char*> argv;
    for (const auto& a : args)
        argv.push_back(a.c_str());
    hull::cli::CommandLine cl(static_cast<int>(argv.size()), argv.data());
    std::vector<std::string> names;
    for (const CLI::App* sub : cl.app().get_subcommands([](CLI::App*) { return true; }))
        names.push_back(sub->get_name());
    return names;
}

}  // namespace

TEST_CASE("command line: only the named command is built, past the global options") {
    using V = std::vector<std::string>;
    CHECK(commands_built({"state", "c1"}) == V{"state"});
    CHECK(commands_built({"--root", "/run/x", "create", "--bundle", "b", "c1"}) == V{"create"});
    CHECK(commands_built({"--root=/run/x", "--debug", "delete", "c1"}) == V{"delete"});
    CHECK(commands_built({"--log", "/tmp/l", "--log-format", "json", "list"}) == V{"list"});
    // A global option's value that happens to be a command's name is not the command.
    CHECK(commands_built({"--root", "run", "--criu", "exec", "start", "c1"}) == V{"start"});
    CHECK(commands_built({"-v"}).size() > 15);
}

TEST_CASE("command line: no command or an unknown one builds every command") {
    hull::cli::CommandLine all;
    const auto every = all.app().get_subcommands([](CLI::App*) { return true; }).size();
    CHECK(every > 15);
    CHECK(commands_built({}).size() == every);
    CHECK(commands_built({"--help"}).size() == every);
    CHECK(commands_built({"--root", "/x"}).size() == every);
    CHECK(commands_built({"nosuchcommand", "x"}).size() == every);
    CHECK(commands_built({"--", "state"}).size() == every);
}

TEST_CASE("command line: a command built alone parses as it does among all the others") {
    std::vector<const char*> argv = {"hull", "--root", "/run/x", "kill", "--all", "c1", "TERM"};
    hull::cli::CommandLine alone(static_cast<int>(argv.size()), argv.data());
    alone.app().parse(static_cast<int>(argv.size()), argv.data());
    REQUIRE(alone.action());
    CHECK(alone.global_options().root == "/run/x");
    CHECK_THROWS_AS(alone.app().get_subcommand("state"), CLI::OptionNotFound);
}
