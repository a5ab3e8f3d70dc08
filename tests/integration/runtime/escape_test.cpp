// Published container escapes from runc and crun, each replayed against hull for real: a
// hostile rootfs or config, a real container, and a check that the host was not touched.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <thread>

#include "base/file.hpp"
#include "support/hull_env.hpp"

using hull::test::BusyboxBundle;
using hull::test::CommandOptions;
using hull::test::CommandResult;
using hull::test::HullEnv;
using hull::test::read_text;
using hull::test::run_command;

namespace {

void write_executable(const std::string& path, const std::string& content) {
    hull::write_file(path, content);
    REQUIRE(::chmod(path.c_str(), 0755) == 0);
}

// Waits (bounded) for a file the container writes when it is done.
std::string wait_for_file(const std::string& path) {
    for (int i = 0; i < 400; ++i) {
        if (::access(path.c_str(), F_OK) == 0) return read_text(path);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return "(timed out waiting for " + path + ")";
}

#ifdef HULL_TEST_FAKE_LOADER
// CVE-2019-5736. The rootfs makes the container's process "#!/proc/self/exe", so the kernel
// runs hull itself (the binary of the process that execs it) inside the container, and ships
// its own dynamic loader, which the kernel then runs inside that hull process. The loader
// keeps /proc/self/exe open and hands it to attack.sh, which waits until no hull process is
// left (then nothing holds the binary busy) and writes through it.
struct ExeAttack {
    HullEnv& env;
    std::string victim;  // a copy of hull under test: a failed defence destroys only the copy
    BusyboxBundle bundle;

    ExeAttack(HullEnv& e, const std::vector<std::string>& args)
        : env(e), victim(e.dir() / "victim-hull"), bundle(e.bundle("b", args)) {
        hull::write_file(victim, hull::read_file(hull::test::hull_binary()));
        REQUIRE(::chmod(victim.c_str(), 0755) == 0);
        bundle.set("/root/readonly", "false");  // attack.sh reports through files in /
        const std::string rootfs = bundle.rootfs();
        write_executable(rootfs + "/victim", "#!/proc/self/exe\n");
        REQUIRE(::mkdir((rootfs + "/lib64").c_str(), 0755) == 0);
        write_executable(rootfs + "/lib64/ld-linux-x86-64.so.2",
                         hull::read_file(HULL_TEST_FAKE_LOADER));
        hull::write_file(rootfs + "/attack.sh", R"sh(
if [ ! -e /proc/self/fd/9 ]; then echo no-reference >/result.tmp; mv /result.tmp /result; exit; fi
readlink /proc/self/fd/9 >/reference
while [ ! -e /go ]; do usleep 20000; done
if echo pwned 2>/error >/proc/self/fd/9; then echo overwritten; else echo "refused: $(cat /error)"; fi >/result.tmp
mv /result.tmp /result
)sh");
    }

    CommandResult hull(const std::vector<std::string>& args, const CommandOptions& options = {}) {
        std::vector<std::string> argv = {victim, "--root", env.root()};
        argv.insert(argv.end(), args.begin(), args.end());
        return run_command(argv, options);
    }

    // Lets attack.sh go on once every hull process has ended, and returns what it saw.
    std::string outcome() {
        hull::write_file(bundle.rootfs() + "/go", "");
        return wait_for_file(bundle.rootfs() + "/result");
    }

    bool victim_intact() {
        return hull::read_file(victim) == hull::read_file(hull::test::hull_binary());
    }
};

void attack_through_init(HullEnv& env, const CommandOptions& options) {
    ExeAttack attack(env, {"/victim"});
    env.track("x1");
    REQUIRE(attack.hull({"create", "--bundle", attack.bundle.path(), "x1"}, options).status == 0);
    REQUIRE(attack.hull({"start", "x1"}).status == 0);
    const std::string result = attack.outcome();
    INFO("the container's hull reference was " << read_text(attack.bundle.rootfs() + "/reference"));
    CHECK_THAT(result, Catch::StartsWith("refused: "));
    CHECK(attack.victim_intact());
    CHECK(attack.hull({"delete", "--force", "x1"}).status == 0);
}
#endif

}  // namespace

#ifdef HULL_TEST_FAKE_LOADER
TEST_CASE("CVE-2019-5736: the container cannot overwrite hull through /proc/self/exe") {
    HullEnv env;
    SECTION("hull run as the container's process (read-only bind mount of hull)") {
        attack_through_init(env, {});
    }
    SECTION("hull run as the container's process (sealed memfd copy of hull)") {
        CommandOptions memfd;
        memfd.env["HULL_EXE_PROTECTION"] = "memfd";
        attack_through_init(env, memfd);
    }
    SECTION("hull run as a process that `hull exec` starts") {
        ExeAttack attack(env, {"sleep", "300"});
        env.track("x2");
        REQUIRE(attack.hull({"run", "--detach", "--bundle", attack.bundle.path(), "x2"}).status ==
                0);
        REQUIRE(attack.hull({"exec", "--detach", "x2", "/victim"}).status == 0);
        const std::string result = attack.outcome();
        CHECK_THAT(result, Catch::StartsWith("refused: "));
        CHECK(attack.victim_intact());
        CHECK(attack.hull({"delete", "--force", "x2"}).status == 0);
    }
    CHECK(env.leaks() == "");
}
#endif
