// Seccomp filters loaded in forked children (as root: no no_new_privs needed).
#include <rapidjson/document.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <climits>
#include <cstring>

#include "base/error.hpp"
#include "base/unique_fd.hpp"
#include "child.hpp"
#include "runtime/security/seccomp.hpp"

namespace sec = hull::security;
using hull::security::test::run_in_child;
using hull::security::test::status_field;
using hull::spec::Seccomp;
using hull::spec::SeccompSyscall;

namespace {

SeccompSyscall rule(std::vector<std::string> names, std::string action,
                    std::optional<std::uint32_t> errno_ret = std::nullopt,
                    std::vector<hull::spec::SeccompArg> args = {}) {
    SeccompSyscall r;
    r.names = std::move(names);
    r.action = std::move(action);
    r.errno_ret = errno_ret;
    r.args = std::move(args);
    return r;
}

Seccomp allow_all() {
    Seccomp s;
    s.default_action = "SCMP_ACT_ALLOW";
    return s;
}

std::string errno_of(long rc) {
    return rc < 0 ? std::to_string(errno) : "ok";
}

}  // namespace

TEST_CASE("seccomp ERRNO makes a syscall fail with errnoRet", "[security][seccomp]") {
    auto r = run_in_child([] {
        Seccomp s = allow_all();
        s.syscalls.push_back(rule({"getcwd"}, "SCMP_ACT_ERRNO", 42));
        s.syscalls.push_back(rule({"mkdir", "mkdirat"}, "SCMP_ACT_ERRNO"));  // default EPERM
        sec::SeccompProgram program = sec::compile_seccomp(s);
        hull::unique_fd listener = sec::load_seccomp(program);
        char buf[PATH_MAX];
        std::string out = errno_of(getcwd(buf, sizeof buf) ? 0 : -1);
        out += " " + errno_of(mkdir("/nonexistent-dir/x", 0700));
        out += " " + status_field("Seccomp") + " " + status_field("NoNewPrivs");
        out += listener.valid() ? " listener" : " none";
        return out;
    });
    REQUIRE(r.ok());
    // Filter mode 2; no_new_privs stays off: it is noNewPrivileges' job, not seccomp's.
    CHECK(r.output == "42 " + std::to_string(EPERM) + " 2 0 none");
}

TEST_CASE("seccomp argument conditions", "[security][seccomp]") {
    auto r = run_in_child([] {
        Seccomp s = allow_all();
        // getpriority(which, who): fail PRIO_PGRP (1) and PRIO_USER (2) via two conditions on
        // the same arg (ORed), keep PRIO_PROCESS (0).
        s.syscalls.push_back(rule({"getpriority"}, "SCMP_ACT_ERRNO", 43,
                                  {{0, 1, 0, "SCMP_CMP_EQ"}, {0, 2, 0, "SCMP_CMP_EQ"}}));
        // umask(mode): fail when all of 0700 are set (MASKED_EQ) AND ... single arg only.
        s.syscalls.push_back(
            rule({"umask"}, "SCMP_ACT_ERRNO", 44, {{0, 0700, 0700, "SCMP_CMP_MASKED_EQ"}}));
        // setpriority(which, who, prio): different args are ANDed: fail only prio > 10 for
        // PRIO_PROCESS.
        s.syscalls.push_back(rule({"setpriority"}, "SCMP_ACT_ERRNO", 45,
                                  {{0, 0, 0, "SCMP_CMP_EQ"}, {2, 10, 0, "SCMP_CMP_GT"}}));
        sec::SeccompProgram program = sec::compile_seccomp(s);
        sec::load_seccomp(program);
        std::string out;
        errno = 0;
        out += errno_of(syscall(SYS_getpriority, 0, 0)) + " ";
        out += errno_of(syscall(SYS_getpriority, 1, 0)) + " ";
        out += errno_of(syscall(SYS_getpriority, 2, 0)) + " ";
        out += errno_of(syscall(SYS_umask, 0755)) + " ";
        out += errno_of(syscall(SYS_umask, 0022)) + " ";
        out += errno_of(syscall(SYS_setpriority, 0, 0, 15)) + " ";
        out += errno_of(syscall(SYS_setpriority, 0, 0, 5)) + " ";
        // PRIO_PGRP of a process group that does not exist: passes the filter, fails ESRCH
        // (never who=0, which would renice the whole process group of the test runner).
        out += errno_of(syscall(SYS_setpriority, 1, 0x7ffffff0, 15));
        return out;
    });
    REQUIRE(r.ok());
    CHECK(r.output == "ok 43 43 44 ok 45 ok " + std::to_string(ESRCH));
}

TEST_CASE("seccomp KILL_PROCESS and TRAP end the process with SIGSYS", "[security][seccomp]") {
    for (const char* action : {"SCMP_ACT_KILL_PROCESS", "SCMP_ACT_TRAP", "SCMP_ACT_KILL"}) {
        INFO(action);
        auto r = run_in_child([action] {
            Seccomp s = allow_all();
            s.syscalls.push_back(rule({"getppid"}, action));
            sec::SeccompProgram program = sec::compile_seccomp(s);
            sec::load_seccomp(program);
            syscall(SYS_getppid);
            return std::string("survived");
        });
        CHECK_FALSE(r.exited);
        CHECK(r.signal == SIGSYS);
    }
}

TEST_CASE("seccomp default ERRNO with an allow list", "[security][seccomp]") {
    // After the load only raw getppid/getpid/exit_group run (not even the C++ runtime or a
    // sanitizer's interceptors), so the result travels in the exit code.
    auto r = run_in_child([] {
        Seccomp s;
        s.default_action = "SCMP_ACT_ERRNO";
        s.default_errno_ret = 38;  // ENOSYS, as container engines do for unknown syscalls
        s.syscalls.push_back(rule({"getpid", "exit_group", "no_such_call"}, "SCMP_ACT_ALLOW"));
        sec::SeccompProgram program = sec::compile_seccomp(s);
        if (program.warnings.size() != 1)
            return std::string("warnings: ") + std::to_string(program.warnings.size());
        sec::load_seccomp(program);
        long ppid = syscall(SYS_getppid);
        int ppid_errno = errno;
        long pid = syscall(SYS_getpid);
        syscall(SYS_exit_group, (ppid == -1 && ppid_errno == 38 && pid > 0) ? 77 : 78);
        return std::string("not reached");
    });
    CHECK(r.output.empty());
    CHECK(r.exit_code == 77);
}

TEST_CASE("seccomp NOTIFY: the agent gets the fd and answers the syscall", "[security][seccomp]") {
    int sv[2];
    REQUIRE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
    hull::unique_fd agent_end(sv[0]);
    hull::unique_fd child_end(sv[1]);
    const std::string path = "/tmp/hull-security-notify-test-dir";

    // The child runs while the parent (the agent) answers below, so fork by hand and collect
    // the child through a pipe-less result: its exit code carries the observed errnos.
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        int code = 100;
        try {
            agent_end.reset();
            Seccomp s = allow_all();
            s.syscalls.push_back(rule({"mkdir", "mkdirat"}, "SCMP_ACT_NOTIFY"));
            sec::SeccompProgram program = sec::compile_seccomp(s);
            hull::unique_fd listener = sec::load_seccomp(program);
            if (!listener.valid()) _exit(101);
            std::string state = R"({"ociVersion":"1.3.0","id":"notify-test","status":"creating",)"
                                R"("pid":)" +
                                std::to_string(getpid()) + R"(,"bundle":"/tmp","annotations":{}})";
            sec::send_seccomp_listener(child_end.get(), listener.get(),
                                       sec::seccomp_process_state_json(getpid(), "meta=1", state));
            child_end.reset();
            listener.reset();
            int first = mkdir(path.c_str(), 0700) < 0 ? errno : 0;   // agent: error 7
            int second = mkdir(path.c_str(), 0700) < 0 ? errno : 0;  // agent: success
            struct stat st {};
            bool created = stat(path.c_str(), &st) == 0;  // "success" never ran the syscall
            code = (first == 7 && second == 0 && !created) ? 0 : 10 + first;
        } catch (...) {
            code = 102;
        }
        _exit(code);
    }
    child_end.reset();
    struct Reaper {
        pid_t pid;
        int status = -1;
        ~Reaper() {
            if (status == -1) {
                kill(pid, SIGKILL);
                waitpid(pid, nullptr, 0);
            }
        }
    } reaper{pid};

    // Receive the JSON and the fd.
    char data[4096];
    iovec iov{data, sizeof data};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n = recvmsg(agent_end.get(), &msg, MSG_CMSG_CLOEXEC);
    REQUIRE(n > 0);
    cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
    REQUIRE(cmsg != nullptr);
    REQUIRE(cmsg->cmsg_type == SCM_RIGHTS);
    int raw_fd = -1;
    std::memcpy(&raw_fd, CMSG_DATA(cmsg), sizeof raw_fd);
    hull::unique_fd listener(raw_fd);
    std::string json(data, static_cast<size_t>(n));
    // The rest (if the kernel split it) arrives without fds until the child closes its end.
    for (;;) {
        ssize_t more = read(agent_end.get(), data, sizeof data);
        if (more <= 0) break;
        json.append(data, static_cast<size_t>(more));
    }
    rapidjson::Document doc;
    doc.Parse(json.c_str());
    REQUIRE_FALSE(doc.HasParseError());
    CHECK(std::string(doc["fds"][0].GetString()) == "seccompFd");
    CHECK(doc["pid"].GetInt() == pid);
    CHECK(std::string(doc["metadata"].GetString()) == "meta=1");
    CHECK(std::string(doc["state"]["id"].GetString()) == "notify-test");

    seccomp_notif* req = nullptr;
    seccomp_notif_resp* resp = nullptr;
    REQUIRE(seccomp_notify_alloc(&req, &resp) == 0);
    struct Free {
        seccomp_notif* req;
        seccomp_notif_resp* resp;
        ~Free() { seccomp_notify_free(req, resp); }
    } free_them{req, resp};
    int mkdir_nr = seccomp_syscall_resolve_name("mkdir");
    int mkdirat_nr = seccomp_syscall_resolve_name("mkdirat");
    for (int answer : {-7, 0}) {
        std::memset(req, 0, sizeof *req);
        REQUIRE(seccomp_notify_receive(listener.get(), req) == 0);
        CHECK(static_cast<pid_t>(req->pid) == pid);
        CHECK((req->data.nr == mkdir_nr || req->data.nr == mkdirat_nr));
        std::memset(resp, 0, sizeof *resp);
        resp->id = req->id;
        resp->error = answer;
        resp->val = 0;
        REQUIRE(seccomp_notify_respond(listener.get(), resp) == 0);
    }
    REQUIRE(waitpid(pid, &reaper.status, 0) == pid);
    REQUIRE(WIFEXITED(reaper.status));
    CHECK(WEXITSTATUS(reaper.status) == 0);
    rmdir(path.c_str());
}

TEST_CASE("connect_unix reports the path it could not reach", "[security][seccomp]") {
    CHECK_THROWS_WITH(sec::connect_unix("/nonexistent/hull-agent.sock"),
                      Catch::StartsWith("connect /nonexistent/hull-agent.sock: "));
    CHECK_THROWS_WITH(sec::connect_unix(std::string(200, 'a')),
                      Catch::Contains("unix socket path must be 1 to 107 bytes"));
}
