#include <rapidjson/document.h>

#include <catch2/catch.hpp>
#include <string>

#include "spec/config_error.hpp"
#include "spec/state.hpp"
#include "support/state_reader.hpp"

using hull::spec::ConfigError;
using hull::spec::State;

namespace {

State running() {
    State s;
    s.oci_version = "1.3.0";
    s.id = "web-1";
    s.status = "running";
    s.pid = 4422;
    s.bundle = "/containers/web";
    s.annotations = {{"org.example.key", "value"}, {"other", "x\"y"}};
    s.rootfs = "/containers/web/rootfs";
    s.created = "2026-11-23T16:52:07.123456789Z";
    s.owner = "";
    return s;
}

std::string command_json(const State& s) {
    return hull::spec::state_to_json(s, hull::spec::StateLayout::command);
}

}  // namespace

TEST_CASE("state round-trips through JSON", "[spec][state]") {
    State s = running();
    std::string json = command_json(s);
    CHECK(hull::test::parse_state(json, "state.json") == s);

    State stopped = s;
    stopped.status = "stopped";
    stopped.pid = 0;
    stopped.annotations.clear();
    CHECK(hull::test::parse_state(command_json(stopped), "state.json") == stopped);
}

TEST_CASE("state JSON looks like runc's", "[spec][state]") {
    std::string json = command_json(running());
    CHECK_THAT(json, Catch::StartsWith("{\n  \"ociVersion\": \"1.3.0\",\n  \"id\": \"web-1\",\n"
                                       "  \"pid\": 4422,\n  \"status\": \"running\",\n"));
    CHECK_THAT(json, Catch::Contains("\"created\": \"2026-11-23T16:52:07.123456789Z\""));
    CHECK_THAT(json, Catch::Contains("\"owner\": \"\""));
    CHECK_THAT(json, Catch::Contains("\"rootfs\": \"/containers/web/rootfs\""));
}

TEST_CASE("a hook's state is one line of runtime.md's members in their order", "[spec][state]") {
    std::string json = hull::spec::state_to_json(running(), hull::spec::StateLayout::hook);
    CHECK(json == R"({"ociVersion":"1.3.0","id":"web-1","status":"running","pid":4422,)"
                  R"("bundle":"/containers/web","annotations":{"org.example.key":"value",)"
                  R"("other":"x\"y"}})");
    CHECK(hull::test::parse_state(json, "state.json").bundle == "/containers/web");
}

TEST_CASE("a hook's state has a pid when runtime.md requires it and none once stopped",
          "[spec][state]") {
    auto hook_json = [](const State& s) {
        return hull::spec::state_to_json(s, hull::spec::StateLayout::hook);
    };
    State s = running();
    s.status = "stopped";
    s.pid = 0;
    CHECK_THAT(hook_json(s), !Catch::Contains("\"pid\""));
    s.annotations.clear();
    CHECK_THAT(hook_json(s), !Catch::Contains("annotations"));
    s.status = "created";
    CHECK_THAT(hook_json(s), Catch::Contains("\"pid\":0"));
}

TEST_CASE("state and list write pid 0 for a stopped container, as runc does", "[spec][state]") {
    State s = running();
    s.status = "stopped";
    s.pid = 0;
    CHECK_THAT(command_json(s), Catch::Contains("\"pid\": 0,\n  \"status\": \"stopped\""));
    // runc's member order: annotations between created and owner.
    CHECK_THAT(command_json(s),
               Catch::EndsWith("\"annotations\": {\n    \"org.example.key\": \"value\",\n"
                               "    \"other\": \"x\\\"y\"\n  },\n  \"owner\": \"\"\n}\n"));
    s.annotations.clear();
    CHECK_THAT(command_json(s), !Catch::Contains("annotations"));
}

TEST_CASE("parse_state rejects invalid states", "[spec][state]") {
    auto error_of = [](const std::string& json) -> std::string {
        try {
            hull::test::parse_state(json, "state.json");
        } catch (const ConfigError& e) {
            return e.what();
        }
        return "";
    };
    CHECK(error_of(R"({"ociVersion":"1.3.0","id":"a","status":"running","bundle":"/b"})") ==
          "state.json: /pid: required when status is running");
    CHECK(error_of(R"({"ociVersion":"1.3.0","id":"a","status":"paused","pid":1,"bundle":"/b"})") ==
          "state.json: /status: unknown status \"paused\" (expected one of: created, creating, "
          "running, stopped)");
    CHECK(error_of(R"({"ociVersion":"1.3.0","status":"stopped","bundle":"/b"})") ==
          "state.json: /id: required member missing");
    CHECK(
        error_of(R"({"ociVersion":"1.3.0","id":"a","status":"running","pid":-3,"bundle":"/b"})") ==
        "state.json: /pid: value -3 out of range (expected >= 0)");
    CHECK_THAT(error_of("{"), Catch::StartsWith("state.json: invalid JSON"));
    CHECK(error_of(R"({"ociVersion":"1.3.0","id":"a","status":"stopped","bundle":"/b"})") == "");
}
