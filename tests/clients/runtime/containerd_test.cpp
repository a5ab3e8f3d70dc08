// containerd 1.6 drives hull through its runc shim (containerd-shim-runc-v2), as it would runc:
// `ctr run --runc-binary <hull>` makes the shim call hull with its global flags
// (--root, --log log.json, --log-format json) for create (with --pid-file and, for -t,
// --console-socket), start, exec --process --detach --pid-file, ps --format json, pause,
// resume, kill and delete. Each test starts its own containerd with everything in a temp dir.
#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <memory>
#include <sstream>

#include "client_host.hpp"
#include "containerd_fixture.hpp"
#include "support/busybox_bundle.hpp"

using hull::test::CommandOptions;
using hull::test::CommandResult;
using hull::test::hull_binary;
using hull::test::read_text;
using hull::test::run_command;
using namespace hull::test::clients;

namespace {

// The pids of `ctr task ps` (first column after the header).
std::vector<int> task_pids(const std::string& out) {
    std::vector<int> pids;
    std::stringstream lines(out);
    std::string line;
    std::getline(lines, line);
    while (std::getline(lines, line)) {
        int pid = std::atoi(line.c_str());
        if (pid > 0) pids.push_back(pid);
    }
    return pids;
}

std::string proc_cmdline(int pid) {
    std::string s = read_text("/proc/" + std::to_string(pid) + "/cmdline");
    std::replace(s.begin(), s.end(), '\0', ' ');
    return s;
}

}  // namespace

TEST_CASE("ctr run --rm: output and exit status of the container reach ctr, and nothing is left") {
    Containerd ctd;
    auto hi = ctd.ctr(ctd.run({"--rm"}, "hi", {"echo", "hi"}));
    INFO(hi.err << ctd.log_tail());
    CHECK(hi.status == 0);
    CHECK(hi.out == "hi\n");

    auto seven =
        ctd.ctr(ctd.run({"--rm"}, "seven", {"sh", "-c", "echo out; echo err >&2; exit 7"}));
    CHECK(seven.status == 7);
    CHECK(seven.out == "out\n");
    CHECK(seven.err == "err\n");

    CHECK(ctd.leaks() == "");
    // The shim's cleanup after its exit runs `delete --force` on a container that is gone and
    // logs the runtime's output when it fails. (Its own reaper sometimes reports "exit status
    // 255" for a runtime that exited 0, with runc and crun too, so the output is what tells.)
    CHECK_THAT(read_text(ctd.log_path()), !Catch::Contains("container does not exist"));
}

TEST_CASE("ctr run -t: the pty from create --console-socket is the container's terminal") {
    Containerd ctd;
    auto r = ctd.ctr_on_pty(
        ctd.run({"--rm", "-t"}, "tty", {"sh", "-c", "[ -t 0 ] && [ -t 1 ] && tty; exit 5"}));
    INFO(r.out << ctd.log_tail());
    CHECK(r.status == 5);
    CHECK_THAT(r.out, Catch::Contains("/dev/pts/0"));
    CHECK(ctd.leaks() == "");
}

TEST_CASE("ctr run -d, task exec with and without -t, ps, pause, resume, kill, delete") {
    Containerd ctd;
    const std::string id = "lifecycle";
    // sh waits for its child; TERM ends it with status 3 (PID 1 ignores signals it does not
    // handle).
    auto run = ctd.ctr(ctd.run({"-d"}, id, {"sh", "-c", "trap 'exit 3' TERM; sleep 1000 & wait"}));
    INFO(run.err << ctd.log_tail());
    REQUIRE(run.status == 0);
    auto [status, pid] = ctd.task(id);
    CHECK(status == "RUNNING");
    REQUIRE(pid > 0);

    auto exec = ctd.ctr(ctd.exec({"--exec-id", "plain"}, id, {"sh", "-c", "echo in-$0; exit 4"}));
    CHECK(exec.status == 4);
    CHECK(exec.out == "in-sh\n");

    auto tty = ctd.ctr_on_pty(
        ctd.exec({"-t", "--exec-id", "tty"}, id, {"sh", "-c", "[ -t 0 ] && tty; exit 6"}));
    INFO(tty.out);
    CHECK(tty.status == 6);
    CHECK_THAT(tty.out, Catch::Contains("/dev/pts/"));

    // `ps --format json`: the init and its sleep, as the host sees them.
    auto ps = ctd.ctr({"task", "ps", id});
    CHECK(ps.status == 0);
    auto pids = task_pids(ps.out);
    INFO(ps.out);
    REQUIRE(pids.size() == 2);
    CHECK(std::find(pids.begin(), pids.end(), pid) != pids.end());
    int child = pids[0] == pid ? pids[1] : pids[0];
    CHECK(proc_cmdline(child) == "sleep 1000 ");

    REQUIRE(ctd.ctr({"task", "pause", id}).status == 0);
    CHECK(ctd.task(id).first == "PAUSED");
    CHECK(frozen(pid));
    CHECK(frozen(child));
    REQUIRE(ctd.ctr({"task", "resume", id}).status == 0);
    CHECK(ctd.task(id).first == "RUNNING");
    CHECK_FALSE(frozen(pid));

    auto kill = ctd.ctr({"task", "kill", id});
    CHECK(kill.status == 0);
    CHECK(wait_until([&] { return ctd.task(id).first == "STOPPED"; }));
    auto del = ctd.ctr({"task", "delete", id});
    CHECK(del.status == 0);
    CHECK_THAT(del.err, Catch::Contains("exit code 3"));
    CHECK(ctd.ctr({"container", "delete", id}).status == 0);
    CHECK(ctd.leaks() == "");
}

TEST_CASE("ctr task delete --force of a paused task kills and removes it") {
    Containerd ctd;
    const std::string id = "paused";
    REQUIRE(ctd.ctr(ctd.run({"-d"}, id, {"sleep", "1000"})).status == 0);
    REQUIRE(ctd.ctr({"task", "pause", id}).status == 0);
    auto del = ctd.ctr({"task", "delete", "--force", id});
    INFO(del.err << ctd.log_tail());
    CHECK(del.status == 0);
    CHECK(ctd.task(id).first == "");
    CHECK(ctd.ctr({"container", "delete", id}).status == 0);
    CHECK(ctd.leaks() == "");
}

TEST_CASE("a process that cannot be started: hull's error from log.json reaches ctr") {
    Containerd ctd;
    auto r = ctd.ctr(ctd.run({"--rm"}, "missing", {"/no/such/program"}));
    CHECK(r.status != 0);
    // The shim takes the message from the last line of the --log file hull wrote; without one
    // it would quote hull's exit status and output ("... did not terminate successfully").
    CHECK_THAT(r.err, Catch::Contains("OCI runtime"));
    CHECK_THAT(r.err, Catch::Contains("/no/such/program"));
    CHECK_THAT(r.err, Catch::Contains("No such file or directory"));
    CHECK_THAT(r.err, !Catch::Contains("did not terminate successfully"));
    CHECK(ctd.leaks() == "");
}
