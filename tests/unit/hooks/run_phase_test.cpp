#include <catch2/catch.hpp>

#include "base/error.hpp"
#include "base/log.hpp"
#include "hook_fixtures.hpp"
#include "hooks/run_hooks.hpp"

using hooks_test::make_hook;
using hooks_test::TempDir;
using hull::hooks::Phase;
using hull::hooks::run_phase;

namespace {

// A hook appending its first argument to a file, to observe order.
hull::spec::Hook appender(const TempDir& dir, const std::string& word) {
    std::string path = dir.script("append-" + word, "echo \"$1\" >> \"$2\"\n");
    return make_hook(path, {"append", word, dir.file("order")});
}

std::string error_of(Phase phase, const hull::spec::Hooks& hooks, const hull::Logger& log) {
    try {
        run_phase(phase, hooks, "{}", log);
    } catch (const hull::Error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("phase names are the spec's", "[hooks][run_phase]") {
    using hull::hooks::phase_name;
    CHECK(std::string(phase_name(Phase::prestart)) == "prestart");
    CHECK(std::string(phase_name(Phase::create_runtime)) == "createRuntime");
    CHECK(std::string(phase_name(Phase::create_container)) == "createContainer");
    CHECK(std::string(phase_name(Phase::start_container)) == "startContainer");
    CHECK(std::string(phase_name(Phase::poststart)) == "poststart");
    CHECK(std::string(phase_name(Phase::poststop)) == "poststop");
}

TEST_CASE("hooks_for picks the phase's list", "[hooks][run_phase]") {
    using hull::hooks::hooks_for;
    hull::spec::Hooks h;
    CHECK(&hooks_for(h, Phase::prestart) == &h.prestart);
    CHECK(&hooks_for(h, Phase::create_runtime) == &h.create_runtime);
    CHECK(&hooks_for(h, Phase::create_container) == &h.create_container);
    CHECK(&hooks_for(h, Phase::start_container) == &h.start_container);
    CHECK(&hooks_for(h, Phase::poststart) == &h.poststart);
    CHECK(&hooks_for(h, Phase::poststop) == &h.poststop);
}

TEST_CASE("hooks of a phase run in order, other phases not at all", "[hooks][run_phase]") {
    TempDir dir;
    hull::Logger log;
    hull::spec::Hooks h;
    h.create_runtime = {appender(dir, "one"), appender(dir, "two"), appender(dir, "three")};
    h.prestart = {appender(dir, "wrong-phase")};
    run_phase(Phase::create_runtime, h, "{}", log);
    CHECK(dir.read("order") == "one\ntwo\nthree\n");
}

TEST_CASE("an empty phase does nothing", "[hooks][run_phase]") {
    hull::Logger log;
    hull::spec::Hooks h;
    CHECK_NOTHROW(run_phase(Phase::start_container, h, "{}", log));
}

TEST_CASE("the first failing hook stops the phase with a precise error", "[hooks][run_phase]") {
    TempDir dir;
    hull::Logger log;
    hull::spec::Hooks h;
    auto fail = dir.script("fail", "echo ignored-stdout\necho '  boom: bad thing  ' >&2\nexit 3\n");
    h.create_runtime = {appender(dir, "one"), make_hook(fail), appender(dir, "three")};
    CHECK(error_of(Phase::create_runtime, h, log) ==
          "createRuntime hook " + fail + " failed: exit status 3: boom: bad thing");
    CHECK(dir.read("order") == "one\n");
}

TEST_CASE("failure messages per cause", "[hooks][run_phase]") {
    TempDir dir;
    hull::Logger log;
    hull::spec::Hooks h;

    SECTION("stdout stands in for an empty stderr") {
        auto p = dir.script("quiet", "echo 'reason on stdout'\nexit 1\n");
        h.prestart = {make_hook(p)};
        CHECK(error_of(Phase::prestart, h, log) ==
              "prestart hook " + p + " failed: exit status 1: stdout: reason on stdout");
    }
    SECTION("no output at all") {
        auto p = dir.script("silent", "exit 2\n");
        h.prestart = {make_hook(p)};
        CHECK(error_of(Phase::prestart, h, log) == "prestart hook " + p + " failed: exit status 2");
    }
    SECTION("signal") {
        auto p = dir.script("killed", "kill -KILL $$\n");
        h.create_container = {make_hook(p)};
        CHECK(error_of(Phase::create_container, h, log) ==
              "createContainer hook " + p + " failed: killed by signal SIGKILL");
    }
    SECTION("timeout") {
        auto p = dir.script("slow", "sleep 30\n");
        h.poststart = {make_hook(p, {}, {}, 1)};
        CHECK(error_of(Phase::poststart, h, log) ==
              "poststart hook " + p + " timed out after 1s (killed its process group)");
    }
    SECTION("missing path") {
        std::string p = dir.file("missing");
        h.start_container = {make_hook(p)};
        CHECK(error_of(Phase::start_container, h, log) ==
              "startContainer hook " + p + " failed: exec failed: No such file or directory");
    }
}

TEST_CASE("poststop failures are warnings and the remaining hooks run", "[hooks][run_phase]") {
    TempDir dir;
    std::string log_path = dir.file("hull.log");
    hull::spec::Hooks h;
    auto fail = dir.script("fail", "echo bad >&2\nexit 5\n");
    std::string missing = dir.file("missing");
    h.poststop = {appender(dir, "one"), make_hook(fail), make_hook(missing), appender(dir, "four")};
    {
        hull::Logger log(log_path, hull::LogFormat::json, false);
        CHECK_NOTHROW(run_phase(Phase::poststop, h, "{}", log));
    }
    CHECK(dir.read("order") == "one\nfour\n");
    auto log_lines = hooks_test::lines(dir.read("hull.log"));
    REQUIRE(log_lines.size() == 2);
    CHECK(log_lines[0].find(R"("level":"warning")") != std::string::npos);
    CHECK(log_lines[0].find("poststop hook " + fail + " failed: exit status 5: bad") !=
          std::string::npos);
    CHECK(log_lines[1].find(R"("level":"warning")") != std::string::npos);
    CHECK(log_lines[1].find("poststop hook " + missing +
                            " failed: exec failed: No such file or directory") !=
          std::string::npos);
}

TEST_CASE("debug logging records each hook and its output", "[hooks][run_phase]") {
    TempDir dir;
    std::string log_path = dir.file("hull.log");
    hull::spec::Hooks h;
    auto p = dir.script("chatty", "echo hello-from-hook\n");
    h.poststart = {make_hook(p)};
    {
        hull::Logger log(log_path, hull::LogFormat::text, true);
        run_phase(Phase::poststart, h, "{}", log);
    }
    std::string text = dir.read("hull.log");
    CHECK(text.find("running poststart hook " + p) != std::string::npos);
    CHECK(text.find("hello-from-hook") != std::string::npos);
}
