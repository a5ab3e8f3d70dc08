// Every hook phase through a real create/start/kill/delete: order, argv, env, the state on
// stdin and the namespaces each hook runs in (config.md "POSIX-platform Hooks").
#include <rapidjson/document.h>

#include <catch2/catch.hpp>

#include "recorder.hpp"
#include "support/hull_env.hpp"

using hooks_it::HookBundle;
using hooks_it::kId;
using hull::test::HullEnv;

namespace {

struct Expected {
    std::string status;
    int pid = 0;  // 0: the state must have no pid
};

void check_record(const HookBundle& hb, const std::string& name, bool in_container,
                  const std::string& bundle_path, const Expected& expected) {
    INFO("hook " << name);
    REQUIRE(hb.ran(name));
    CHECK(hb.record(name, "argv") == hooks_it::lines(hb.argv(name, in_container)));
    CHECK(hb.record(name, "env") == hooks_it::lines(hooks_it::kHookEnv));
    // No fd of hull's (state dir lock, sync socket, fifo, pipes) reaches a hook.
    CHECK(hooks_it::low_fds(hb.record(name, "fds")) == "0 1 2 3");

    std::string state = hb.record(name, "state");
    INFO("state " << state);
    rapidjson::Document doc;
    doc.Parse(state.c_str());
    REQUIRE_FALSE(doc.HasParseError());
    CHECK(std::string(doc["ociVersion"].GetString()) == "1.3.0");
    CHECK(std::string(doc["id"].GetString()) == kId);
    CHECK(std::string(doc["bundle"].GetString()) == bundle_path);
    CHECK(std::string(doc["status"].GetString()) == expected.status);
    if (expected.pid == 0) {
        CHECK_FALSE(doc.HasMember("pid"));
    } else {
        REQUIRE(doc.HasMember("pid"));
        CHECK(doc["pid"].GetInt() == expected.pid);
    }
    REQUIRE(doc.HasMember("annotations"));
    CHECK(std::string(doc["annotations"]["org.hull.test"].GetString()) == "yes");
}

}  // namespace

TEST_CASE("hooks of every phase run in order with exact argv, env, state and namespaces") {
    HullEnv env;
    HookBundle hb(env, {"sleep", "300"});
    hb.bundle().set("/annotations", R"({"org.hull.test":"yes"})");
    hb.set_hooks("prestart", {hb.recording_hook("prestart1"), hb.recording_hook("prestart2")});
    hb.set_hooks("createRuntime", {hb.recording_hook("createRuntime")});
    hb.set_hooks("createContainer", {hb.recording_hook("createContainer")});
    // Its path resolves inside the container: /record.sh exists only in the rootfs.
    hb.set_hooks("startContainer", {hb.recording_hook("startContainer", true)});
    REQUIRE_FALSE(hooks_it::exists("/record.sh"));
    hb.set_hooks("poststart", {hb.recording_hook("poststart")});
    hb.set_hooks("poststop", {hb.recording_hook("poststop1"), hb.recording_hook("poststop2")});
    const std::string bundle = hb.bundle().path();
    const std::string host_ns = hooks_it::namespaces_of("self");
    // Must not reach any hook: their environment is exactly what config.json says.
    hull::test::CommandOptions leak_env;
    leak_env.env = {{"HULL_HOOK_TEST_LEAK", "1"}};

    auto created = env.hull({"create", "--bundle", bundle, kId}, leak_env);
    REQUIRE(created.status == 0);
    CHECK(hb.order() == "prestart1\nprestart2\ncreateRuntime\ncreateContainer\n");
    int pid = env.pid(kId);
    REQUIRE(pid > 0);
    const std::string container_ns = hooks_it::namespaces_of(std::to_string(pid));
    // The bundle has its own mnt, pid, net, uts and ipc namespaces.
    {
        std::istringstream host(host_ns), container(container_ns);
        for (const auto& ns : hooks_it::kNamespaces) {
            std::string h, c;
            std::getline(host, h);
            std::getline(container, c);
            INFO(ns << ": host " << h << ", container " << c);
            CHECK(h.rfind(ns == "mnt" ? "mnt:[" : ns + ":[", 0) == 0);
            CHECK(h != c);
        }
    }

    // runtime.md State: the pid as the runtime sees it for runtime-namespace hooks, as the
    // container sees it (1: init of a new pid namespace) for container-namespace hooks.
    check_record(hb, "prestart1", false, bundle, {"creating", pid});
    check_record(hb, "prestart2", false, bundle, {"creating", pid});
    check_record(hb, "createRuntime", false, bundle, {"creating", pid});
    check_record(hb, "createContainer", false, bundle, {"creating", 1});
    CHECK(hb.record("prestart1", "ns") == host_ns);
    CHECK(hb.record("prestart2", "ns") == host_ns);
    CHECK(hb.record("createRuntime", "ns") == host_ns);
    CHECK(hb.record("createContainer", "ns") == container_ns);
    CHECK_FALSE(hb.ran("startContainer"));
    CHECK_FALSE(hb.ran("poststart"));

    REQUIRE(env.hull({"start", kId}, leak_env).status == 0);
    CHECK(hb.order() ==
          "prestart1\nprestart2\ncreateRuntime\ncreateContainer\nstartContainer\npoststart\n");
    check_record(hb, "startContainer", true, bundle, {"created", 1});
    check_record(hb, "poststart", false, bundle, {"running", pid});
    CHECK(hb.record("startContainer", "ns") == container_ns);
    CHECK(hb.record("poststart", "ns") == host_ns);
    CHECK(env.status(kId) == "running");
    // poststart runs after the user process was exec'd.
    CHECK(hooks_it::slurp("/proc/" + std::to_string(pid) + "/comm") == "sleep\n");
    CHECK_FALSE(hb.ran("poststop1"));

    REQUIRE(env.hull({"kill", kId, "KILL"}).status == 0);
    REQUIRE(env.wait_status(kId, "stopped"));
    CHECK_FALSE(hb.ran("poststop1"));
    REQUIRE(env.hull({"delete", kId}, leak_env).status == 0);
    CHECK(hb.order() ==
          "prestart1\nprestart2\ncreateRuntime\ncreateContainer\nstartContainer\n"
          "poststart\npoststop1\npoststop2\n");
    // pid is optional once stopped; hull leaves it out (the process is gone).
    check_record(hb, "poststop1", false, bundle, {"stopped", 0});
    check_record(hb, "poststop2", false, bundle, {"stopped", 0});
    CHECK(hb.record("poststop1", "ns") == host_ns);
    CHECK(hb.record("poststop2", "ns") == host_ns);
    CHECK(env.leaks() == "");
}

TEST_CASE(
    "hooks run during hull run too, and a created container deleted unstarted runs poststop") {
    HullEnv env;
    HookBundle hb(env, {"true"});
    hb.set_hooks("createRuntime", {hb.recording_hook("createRuntime")});
    hb.set_hooks("startContainer", {hb.recording_hook("startContainer", true)});
    hb.set_hooks("poststop", {hb.recording_hook("poststop")});

    SECTION("run") {
        auto r = env.run(hb.bundle(), kId);
        INFO(r.err);
        REQUIRE(r.status == 0);
        CHECK(hb.order() == "createRuntime\nstartContainer\npoststop\n");
    }
    SECTION("create then delete") {
        REQUIRE(env.hull({"create", "--bundle", hb.bundle().path(), kId}).status == 0);
        REQUIRE(env.hull({"delete", kId}).status == 0);
        CHECK(hb.order() == "createRuntime\npoststop\n");
    }
    CHECK(env.leaks() == "");
}

TEST_CASE("hooks can query hull: running in poststart, already deleted in poststop") {
    HullEnv env;
    HookBundle hb(env, {"sleep", "300"});
    auto query = [&](const std::string& out) {
        // No lock held by the running command may block `hull state`; the timeout turns a
        // deadlock into a failure.
        return R"({"path":"/bin/busybox","timeout":20,"args":)" +
               hooks_it::json_strings({"sh", "-c", R"("$0" --root "$1" state "$2" >"$3" 2>&1)",
                                       hull::test::hull_binary(), env.root(), kId, out}) +
               "}";
    };
    hb.set_hooks("poststart", {query(hb.rec() + "/poststart.query")});
    hb.set_hooks("poststop", {query(hb.rec() + "/poststop.query"), hb.recording_hook("poststop")});

    REQUIRE(env.hull({"create", "--bundle", hb.bundle().path(), kId}).status == 0);
    auto started = env.hull({"start", kId});
    INFO(started.err);
    REQUIRE(started.status == 0);
    std::string during_start = hooks_it::slurp(hb.rec() + "/poststart.query");
    INFO(during_start);
    rapidjson::Document doc;
    doc.Parse(during_start.c_str());
    REQUIRE_FALSE(doc.HasParseError());
    CHECK(std::string(doc["status"].GetString()) == "running");
    CHECK(doc["pid"].GetInt() == env.pid(kId));

    REQUIRE(env.hull({"kill", kId, "KILL"}).status == 0);
    REQUIRE(env.wait_status(kId, "stopped"));
    auto deleted = env.hull({"delete", kId});
    INFO(deleted.err);
    REQUIRE(deleted.status == 0);
    // config.md: poststop hooks run "after the container is deleted".
    CHECK(hooks_it::contains(hooks_it::slurp(hb.rec() + "/poststop.query"),
                             "container does not exist"));
    CHECK(hb.order() == "poststop\n");
    CHECK(env.leaks() == "");
}
