// The hull executable's command line: version, help, spec, features, usage errors, logs.
#include <rapidjson/document.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "spec/parse.hpp"
#include "spec/schema.hpp"
#include "support/command.hpp"
#include "support/temp_dir.hpp"

using hull::test::hull_binary;
using hull::test::run_command;

TEST_CASE("version flag prints hull's, the spec's and the libraries' versions") {
    auto r = run_command({hull_binary(), "--version"});
    CHECK(r.status == 0);
    CHECK_THAT(r.out, Catch::StartsWith("hull version "));
    CHECK_THAT(r.out, Catch::Contains("\nspec: 1.3.0\n"));
    CHECK_THAT(r.out, Catch::Contains("\nlibseccomp: 2."));
    CHECK_THAT(r.out, Catch::Contains("\nlibcap: 2."));
}

TEST_CASE("help flag lists every lifecycle command") {
    auto r = run_command({hull_binary(), "--help"});
    CHECK(r.status == 0);
    for (const char* cmd : {"create", "start", "run", "state", "kill", "delete", "list", "exec",
                            "spec", "features", "pause", "resume", "ps", "events", "update"})
        CHECK_THAT(r.out, Catch::Contains(cmd));
}

TEST_CASE("help-all shows every command with its own options") {
    auto all = run_command({hull_binary(), "--help-all"});
    CHECK(all.status == 0);
    for (const char* option : {"--ignore-paused", "--no-subreaper", "--detach-keys",
                               "--blkio-weight", "--interval", "--reboot-limit"})
        CHECK_THAT(all.out, Catch::Contains(option));
    // --help alone names the commands, not their options.
    auto help = run_command({hull_binary(), "--help"});
    CHECK_THAT(help.out, !Catch::Contains("--ignore-paused"));
}

TEST_CASE("unknown flags and subcommands are usage errors with exit 1") {
    auto flag = run_command({hull_binary(), "--no-such-flag", "list"});
    CHECK(flag.status == 1);
    CHECK_FALSE(flag.err.empty());
    auto cmd = run_command({hull_binary(), "frobnicate"});
    CHECK(cmd.status == 1);
    CHECK_FALSE(cmd.err.empty());
    auto sub_flag = run_command({hull_binary(), "delete", "--bogus", "x"});
    CHECK(sub_flag.status == 1);
}

TEST_CASE("spec writes a config.json that validates and that hull accepts") {
    hull::test::TempDir dir;
    auto r = run_command({hull_binary(), "spec", "--bundle", dir.path()});
    REQUIRE(r.status == 0);
    std::string text = hull::test::read_text(dir / "config.json");
    rapidjson::Document doc;
    doc.Parse(text.c_str());
    REQUIRE_FALSE(doc.HasParseError());
    CHECK_NOTHROW(hull::spec::validate_config_schema(doc, "config.json"));
    CHECK_NOTHROW(hull::spec::parse_config(text));
    // A second spec refuses to overwrite it, like runc.
    auto again = run_command({hull_binary(), "spec", "--bundle", dir.path()});
    CHECK(again.status == 1);
    CHECK_THAT(again.err, Catch::Contains("exists"));
}

TEST_CASE("spec --rootless is refused as not implemented, and writes nothing") {
    hull::test::TempDir dir;
    auto r = run_command({hull_binary(), "spec", "--rootless", "--bundle", dir.path()});
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Catch::Contains("spec --rootless: not implemented yet"));
    CHECK(::access((dir / "config.json").c_str(), F_OK) != 0);
}

TEST_CASE("features prints JSON that validates against features-schema.json") {
    auto r = run_command({hull_binary(), "features"});
    REQUIRE(r.status == 0);
    rapidjson::Document doc;
    doc.Parse(r.out.c_str());
    REQUIRE_FALSE(doc.HasParseError());
    CHECK_NOTHROW(hull::spec::validate_features_schema(doc, "features"));
    CHECK(std::string(doc["ociVersionMax"].GetString()) == "1.3.0");
}

TEST_CASE("errors go to stderr and, with --log-format json, to the log as runc's JSON lines") {
    hull::test::TempDir dir;
    std::string log = dir / "log.json";
    auto r = run_command({hull_binary(), "--root", dir / "root", "--log", log, "--log-format",
                          "json", "state", "missing"});
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Catch::Contains("container does not exist: missing"));
    std::string line = hull::test::read_text(log);
    rapidjson::Document doc;
    doc.Parse(line.c_str());
    REQUIRE_FALSE(doc.HasParseError());
    CHECK(std::string(doc["level"].GetString()) == "error");
    CHECK(std::string(doc["msg"].GetString()) == "container does not exist: missing");
    CHECK_THAT(std::string(doc["time"].GetString()), Catch::Matches(R"(\d{4}-\d\d-\d\dT.*Z)"));
}

TEST_CASE("delete --force of a container that does not exist succeeds, as in runc and crun") {
    // containerd's shim runs `delete --force` when it cleans up after a shim that is gone,
    // usually after the container was deleted already, and logs every failure as a warning.
    hull::test::TempDir dir;
    std::string log = dir / "log.json";
    auto forced = run_command({hull_binary(), "--root", dir / "root", "--log", log, "--log-format",
                               "json", "delete", "--force", "missing"});
    CHECK(forced.status == 0);
    CHECK(forced.err == "");
    CHECK(hull::test::read_text(log) == "");
    auto plain = run_command({hull_binary(), "--root", dir / "root", "delete", "missing"});
    CHECK(plain.status == 1);
    CHECK_THAT(plain.err, Catch::Contains("container does not exist: missing"));
}

TEST_CASE("a config with an error: exit 1, one line naming the JSON pointer, nothing written") {
    hull::test::TempDir dir;
    REQUIRE(run_command({hull_binary(), "spec", "--bundle", dir.path()}).status == 0);
    std::string text = hull::test::read_text(dir / "config.json");
    auto pos = text.find("\"mount\"");
    REQUIRE(pos != std::string::npos);
    text.replace(pos, 7, "\"netx\"");
    std::ofstream(dir / "config.json") << text;
    std::string root = dir / "root";
    auto r = run_command({hull_binary(), "--root", root, "create", "--bundle", dir.path(), "c1"});
    CHECK(r.status == 1);
    CHECK_THAT(
        r.err,
        Catch::Matches(
            "hull: config.json: /linux/namespaces/\\d+/type: unknown namespace type \"netx\".*\n"));
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    // The config is rejected before the state root is even made.
    CHECK(::access(root.c_str(), F_OK) != 0);
}
