// Hooks that fail, hang, ignore their stdin or do not exist (runtime.md Lifecycle steps 3-13).
#include <rapidjson/document.h>
#include <signal.h>

#include <catch2/catch.hpp>

#include "recorder.hpp"
#include "support/hull_env.hpp"

using hooks_it::contains;
using hooks_it::HookBundle;
using hooks_it::kId;
using hull::test::HullEnv;

namespace {

// Nothing of c1 is left: no state, not listed.
void check_gone(HullEnv& env) {
    CHECK(env.status(kId).empty());
    auto list = env.hull({"list", "-q"});
    CHECK(list.status == 0);
    CHECK(list.out.empty());
}

// Running or sleeping; a zombie waiting for the test's reaper does not count.
bool alive(int pid) {
    std::string stat = hooks_it::slurp("/proc/" + std::to_string(pid) + "/stat");
    auto paren = stat.rfind(')');
    if (paren == std::string::npos || paren + 2 >= stat.size()) return false;
    char state = stat[paren + 2];
    return state != 'Z' && state != 'X';
}

}  // namespace

TEST_CASE("a failing create hook fails create, stops the phase, runs poststop, leaves nothing") {
    auto phase = GENERATE(as<std::string>{}, "prestart", "createRuntime", "createContainer");
    INFO("phase " << phase);
    HullEnv env;
    HookBundle hb(env, {"true"});
    std::string fail_path = hb.failing_script(phase);
    hb.set_hooks(phase,
                 {hb.recording_hook("before"), R"({"path":)" + hooks_it::quote(fail_path) + "}",
                  hb.recording_hook("after")});
    if (phase != "createContainer")
        hb.set_hooks("createContainer", {hb.recording_hook("createContainer")});
    hb.set_hooks("startContainer", {hb.recording_hook("startContainer", true)});
    hb.set_hooks("poststop", {hb.recording_hook("poststop1"), hb.recording_hook("poststop2")});

    auto r = env.hull({"create", "--bundle", hb.bundle().path(), kId});
    INFO(r.err);
    CHECK(r.status == 1);
    CHECK(contains(r.err, phase + " hook " + fail_path + " failed: exit status 1: boom " + phase));
    // The rest of the phase and the later phases do not run; poststop does (Lifecycle step 13).
    CHECK(hb.order() == "before\npoststop1\npoststop2\n");
    CHECK_FALSE(hb.ran("after"));
    CHECK_FALSE(hb.ran("createContainer"));
    rapidjson::Document doc;
    doc.Parse(hb.record("poststop1", "state").c_str());
    REQUIRE_FALSE(doc.HasParseError());
    CHECK(std::string(doc["status"].GetString()) == "stopped");
    CHECK(std::string(doc["id"].GetString()) == kId);
    check_gone(env);
    CHECK(env.leaks() == "");
}

TEST_CASE("create failing before any hook ran does not run poststop") {
    HullEnv env;
    HookBundle hb(env, {"true"});
    hb.set_hooks("createContainer", {hb.recording_hook("createContainer")});
    hb.set_hooks("poststop", {hb.recording_hook("poststop")});
    // A mount that cannot be made: the runtime environment (Lifecycle step 2) fails.
    hb.bundle().set("/mounts/0/source", R"("/nonexistent/hull-hook-test")");
    hb.bundle().set("/mounts/0/type", R"("bind")");
    hb.bundle().set("/mounts/0/options", R"(["rbind"])");

    auto r = env.hull({"create", "--bundle", hb.bundle().path(), kId});
    INFO(r.err);
    CHECK(r.status == 1);
    CHECK(hb.order().empty());
    check_gone(env);
    CHECK(env.leaks() == "");
}

TEST_CASE("a failing startContainer hook fails start, the process never runs, poststop on delete") {
    HullEnv env;
    HookBundle hb(env, {"sh", "-c", "echo ran > /rec/user-process"});
    std::string fail_path = hb.failing_script("startContainer", true);
    hb.set_hooks("startContainer", {hb.recording_hook("startContainer", true),
                                    R"({"path":)" + hooks_it::quote(fail_path) + "}",
                                    hb.recording_hook("after", true)});
    hb.set_hooks("poststart", {hb.recording_hook("poststart")});
    hb.set_hooks("poststop", {hb.recording_hook("poststop")});

    REQUIRE(env.hull({"create", "--bundle", hb.bundle().path(), kId}).status == 0);
    auto r = env.hull({"start", kId});
    INFO(r.err);
    CHECK(r.status == 1);
    CHECK(contains(
        r.err, "startContainer hook " + fail_path + " failed: exit status 1: boom startContainer"));
    CHECK(env.status(kId) == "stopped");
    CHECK(hb.order() == "startContainer\n");
    CHECK_FALSE(hooks_it::exists(hb.rec() + "/user-process"));

    REQUIRE(env.hull({"delete", kId}).status == 0);
    CHECK(hb.order() == "startContainer\npoststop\n");
    check_gone(env);
    CHECK(env.leaks() == "");
}

TEST_CASE("a failing poststart hook fails start and stops the container, poststop on delete") {
    HullEnv env;
    HookBundle hb(env, {"sleep", "300"});
    std::string fail_path = hb.failing_script("poststart");
    hb.set_hooks("poststart",
                 {R"({"path":)" + hooks_it::quote(fail_path) + "}", hb.recording_hook("after")});
    hb.set_hooks("poststop", {hb.recording_hook("poststop")});

    REQUIRE(env.hull({"create", "--bundle", hb.bundle().path(), kId}).status == 0);
    int pid = env.pid(kId);
    auto r = env.hull({"start", kId});
    INFO(r.err);
    CHECK(r.status == 1);
    CHECK(
        contains(r.err, "poststart hook " + fail_path + " failed: exit status 1: boom poststart"));
    // Stopped by the time start returns, not eventually.
    CHECK(env.status(kId) == "stopped");
    CHECK_FALSE(alive(pid));
    CHECK(hb.order().empty());

    REQUIRE(env.hull({"delete", kId}).status == 0);
    CHECK(hb.order() == "poststop\n");
    check_gone(env);
    CHECK(env.leaks() == "");
}

TEST_CASE("a failing poststart hook under hull run: run fails, poststop runs, nothing is left") {
    HullEnv env;
    HookBundle hb(env, {"sleep", "300"});
    std::string fail_path = hb.failing_script("poststart");
    hb.set_hooks("poststart", {R"({"path":)" + hooks_it::quote(fail_path) + "}"});
    hb.set_hooks("poststop", {hb.recording_hook("poststop")});

    auto r = env.run(hb.bundle(), kId);
    INFO(r.err);
    CHECK(r.status == 1);
    CHECK(contains(r.err, "poststart hook " + fail_path));
    CHECK(hb.order() == "poststop\n");
    check_gone(env);
    CHECK(env.leaks() == "");
}

TEST_CASE("a failing poststop hook is a warning: delete succeeds, the other hooks run") {
    HullEnv env;
    HookBundle hb(env, {"true"});
    std::string fail_path = hb.failing_script("poststop");
    hb.set_hooks("poststop",
                 {hb.recording_hook("poststop1"), R"({"path":)" + hooks_it::quote(fail_path) + "}",
                  hb.recording_hook("poststop2")});
    std::string log = env.dir() / "hull.log";

    REQUIRE(env.hull({"create", "--bundle", hb.bundle().path(), kId}).status == 0);
    REQUIRE(env.hull({"start", kId}).status == 0);
    REQUIRE(env.wait_status(kId, "stopped"));
    auto r = env.hull({"--log", log, "delete", kId});
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK(hb.order() == "poststop1\npoststop2\n");
    std::string text = hooks_it::slurp(log);
    INFO(text);
    CHECK(contains(text, "level=warning"));
    CHECK(contains(text, "poststop hook " + fail_path + " failed: exit status 1: boom poststop"));
    check_gone(env);
    CHECK(env.leaks() == "");
}

TEST_CASE("a hook past its timeout is killed with its children and fails create") {
    auto phase = GENERATE(as<std::string>{}, "createRuntime", "createContainer");
    INFO("phase " << phase);
    HullEnv env;
    HookBundle hb(env, {"true"});
    // The sleep is a child of the hook's shell: the whole process group must go.
    std::string hang = env.dir() / "hang.sh";
    hooks_it::write_file(hang, "#!/bin/busybox sh\n/bin/busybox sleep 300\n");
    hb.set_hooks(phase, {R"({"path":)" + hooks_it::quote(hang) + R"(,"timeout":1})"});
    hb.set_hooks("poststop", {hb.recording_hook("poststop")});

    auto r = env.hull({"create", "--bundle", hb.bundle().path(), kId});
    INFO(r.err);
    CHECK(r.status == 1);
    CHECK(contains(r.err, phase + " hook " + hang + " timed out after 1s"));
    CHECK(hb.order() == "poststop\n");
    check_gone(env);
    CHECK(env.leaks() == "");
}

TEST_CASE("hooks that never read a large state do not disturb the lifecycle") {
    HullEnv env;
    HookBundle hb(env, {"true"});
    const std::string big(200 * 1024, 'x');
    hb.bundle().set("/annotations", R"({"big":")" + big + R"("})");
    const std::string ignore = R"({"path":"/bin/busybox","args":["true"]})";
    for (const char* phase :
         {"prestart", "createRuntime", "createContainer", "poststart", "poststop"})
        hb.set_hooks(phase, {ignore, hb.recording_hook(phase)});
    hb.set_hooks("startContainer", {ignore, hb.recording_hook("startContainer", true)});

    auto r = env.run(hb.bundle(), kId);
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(hb.order() ==
          "prestart\ncreateRuntime\ncreateContainer\nstartContainer\npoststart\npoststop\n");
    for (const char* name : {"prestart", "createRuntime", "createContainer", "startContainer",
                             "poststart", "poststop"}) {
        INFO(name);
        rapidjson::Document doc;
        doc.Parse(hb.record(name, "state").c_str());
        REQUIRE_FALSE(doc.HasParseError());
        CHECK(std::string(doc["annotations"]["big"].GetString()) == big);
    }
    CHECK(env.leaks() == "");
}

TEST_CASE("a hook whose path does not exist fails with an error naming the path") {
    HullEnv env;
    HookBundle hb(env, {"true"});
    hb.set_hooks("poststop", {hb.recording_hook("poststop")});

    SECTION("createRuntime, on the host") {
        hb.set_hooks("createRuntime", {R"({"path":"/nonexistent/hull-hook"})"});
        auto r = env.hull({"create", "--bundle", hb.bundle().path(), kId});
        INFO(r.err);
        CHECK(r.status == 1);
        CHECK(contains(r.err,
                       "createRuntime hook /nonexistent/hull-hook failed: exec failed: No "
                       "such file or directory"));
        CHECK(hb.order() == "poststop\n");
    }
    SECTION("startContainer, resolved in the container: a host-only path is not found") {
        // record.sh exists on the host, but not at this path inside the rootfs.
        hb.set_hooks("startContainer", {R"({"path":)" + hooks_it::quote(hb.host_script()) + "}"});
        REQUIRE(env.hull({"create", "--bundle", hb.bundle().path(), kId}).status == 0);
        auto r = env.hull({"start", kId});
        INFO(r.err);
        CHECK(r.status == 1);
        CHECK(contains(r.err, "startContainer hook " + hb.host_script() +
                                  " failed: exec failed: No such file or directory"));
        CHECK(env.status(kId) == "stopped");
        REQUIRE(env.hull({"delete", kId}).status == 0);
        CHECK(hb.order() == "poststop\n");
    }
    check_gone(env);
    CHECK(env.leaks() == "");
}

TEST_CASE("hooks work when hull inherits an ignored SIGCHLD and blocked signals") {
    HullEnv env;
    HookBundle hb(env, {"true"});
    for (const char* phase :
         {"prestart", "createRuntime", "createContainer", "poststart", "poststop"})
        hb.set_hooks(phase, {hb.recording_hook(phase)});
    hb.set_hooks("startContainer", {hb.recording_hook("startContainer", true)});

    // perl-base is Essential on Debian: a caller that ignores SIGCHLD and SIGTERM and blocks
    // every signal, then execs hull (dispositions SIG_IGN and the mask survive execve).
    auto r = hull::test::run_command(
        {"/usr/bin/perl", "-MPOSIX", "-e",
         "$SIG{CHLD}='IGNORE'; $SIG{TERM}='IGNORE'; "
         "sigprocmask(SIG_BLOCK, POSIX::SigSet->new(1..31)) or die; exec @ARGV or die",
         hull::test::hull_binary(), "--root", env.root(), "run", "--bundle", hb.bundle().path(),
         kId});
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(hb.order() ==
          "prestart\ncreateRuntime\ncreateContainer\nstartContainer\npoststart\npoststop\n");
    for (const char* name : {"prestart", "createRuntime", "createContainer", "startContainer",
                             "poststart", "poststop"}) {
        std::string sig = hb.record(name, "sig");
        INFO(name << ": " << sig);
        CHECK(hooks_it::signal_mask(sig, "SigBlk") == 0);
        const unsigned long long chld_term = (1ULL << (SIGCHLD - 1)) | (1ULL << (SIGTERM - 1));
        CHECK((hooks_it::signal_mask(sig, "SigIgn") & chld_term) == 0);
    }
    CHECK(env.leaks() == "");
}
