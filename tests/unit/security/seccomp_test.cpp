// Compiling seccomp filters (never loading them: that is tests/integration/security).
// The filter is exported as libseccomp's pseudo filter code to check what it does.
#include <rapidjson/document.h>
#include <sys/mman.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "base/error.hpp"
#include "base/unique_fd.hpp"
#include "runtime/security/seccomp.hpp"
#include "unit/security/seccomp_export.hpp"

namespace sec = hull::security;
using hull::spec::Seccomp;
using hull::spec::SeccompArg;
using hull::spec::SeccompSyscall;
using hull::test::exported;

namespace {

std::string pfc(const sec::SeccompProgram& program) {
    return exported(program, false);
}

Seccomp allow_all() {
    Seccomp s;
    s.default_action = "SCMP_ACT_ALLOW";
    return s;
}

SeccompSyscall rule(std::vector<std::string> names, std::string action,
                    std::optional<std::uint32_t> errno_ret = std::nullopt,
                    std::vector<SeccompArg> args = {}) {
    SeccompSyscall r;
    r.names = std::move(names);
    r.action = std::move(action);
    r.errno_ret = errno_ret;
    r.args = std::move(args);
    return r;
}

}  // namespace

TEST_CASE("seccomp: every action compiles to the matching filter action", "[security][seccomp]") {
    struct Case {
        const char* action;
        std::optional<std::uint32_t> errno_ret;
        const char* pfc_action;
    };
    const Case cases[] = {
        {"SCMP_ACT_KILL", std::nullopt, "action KILL;"},
        {"SCMP_ACT_KILL_THREAD", std::nullopt, "action KILL;"},
        {"SCMP_ACT_KILL_PROCESS", std::nullopt, "action KILL_PROCESS;"},
        {"SCMP_ACT_TRAP", std::nullopt, "action TRAP;"},
        {"SCMP_ACT_ERRNO", std::nullopt, "action ERRNO(1);"},
        {"SCMP_ACT_ERRNO", 42, "action ERRNO(42);"},
        {"SCMP_ACT_TRACE", std::nullopt, "action TRACE(1);"},
        {"SCMP_ACT_TRACE", 7, "action TRACE(7);"},
        {"SCMP_ACT_LOG", std::nullopt, "action LOG;"},
        {"SCMP_ACT_NOTIFY", std::nullopt, "action 0x7fc00000;"},  // 2.5.4 prints no name
    };
    for (const auto& c : cases) {
        INFO(c.action);
        Seccomp s = allow_all();
        s.syscalls.push_back(rule({"getcwd"}, c.action, c.errno_ret));
        sec::SeccompProgram program = sec::compile_seccomp(s);
        std::string text = pfc(program);
        CHECK_THAT(text, Catch::Contains("if ($syscall == 79)\n    " + std::string(c.pfc_action)));
        CHECK(program.uses_notify == (std::string(c.action) == "SCMP_ACT_NOTIFY"));
        CHECK(program.warnings.empty());
        CHECK_FALSE(exported(program, true).empty());
    }
    Seccomp deny = allow_all();
    deny.default_action = "SCMP_ACT_ERRNO";
    deny.default_errno_ret = 38;
    deny.syscalls.push_back(rule({"read", "write"}, "SCMP_ACT_ALLOW"));
    std::string text = pfc(sec::compile_seccomp(deny));
    CHECK_THAT(text, Catch::Contains("# default action\n  action ERRNO(38);"));
    CHECK_THAT(text, Catch::Contains("if ($syscall == 0)\n    action ALLOW;"));
    CHECK_THAT(text, Catch::Contains("if ($syscall == 1)\n    action ALLOW;"));
}

TEST_CASE("seccomp: every operator compiles to its comparison", "[security][seccomp]") {
    struct Case {
        const char* op;
        const char* pfc;
    };
    // Comparisons on a 64-bit argument are split by libseccomp into hi32/lo32 checks.
    const Case cases[] = {
        {"SCMP_CMP_EQ", "if ($a1.lo32 == 5)"},
        {"SCMP_CMP_NE", "if ($a1.lo32 == 5)"},  // NE is EQ with the branches swapped
        {"SCMP_CMP_GT", "if ($a1.lo32 > 5)"},
        {"SCMP_CMP_GE", "if ($a1.lo32 >= 5)"},
        {"SCMP_CMP_LT", "if ($a1.lo32 >= 5)"},  // LT is GE with the branches swapped
        {"SCMP_CMP_LE", "if ($a1.lo32 > 5)"},   // LE is GT with the branches swapped
    };
    for (const auto& c : cases) {
        INFO(c.op);
        Seccomp s = allow_all();
        s.syscalls.push_back(rule({"getpriority"}, "SCMP_ACT_ERRNO", 9, {{1, 5, 0, c.op}}));
        std::string text = pfc(sec::compile_seccomp(s));
        CHECK_THAT(text, Catch::Contains(c.pfc));
        CHECK_THAT(text, Catch::Contains("action ERRNO(9);"));
    }
    Seccomp s = allow_all();
    s.syscalls.push_back(
        rule({"umask"}, "SCMP_ACT_ERRNO", 43, {{0, 0700, 0700, "SCMP_CMP_MASKED_EQ"}}));
    CHECK_THAT(pfc(sec::compile_seccomp(s)),
               Catch::Contains("if ($a0.lo32 & 0x000001c0 == 448)\n        action ERRNO(43);"));
}

TEST_CASE("seccomp: args on different indexes are ANDed, on the same index ORed",
          "[security][seccomp]") {
    Seccomp both = allow_all();
    both.syscalls.push_back(rule({"getpriority"}, "SCMP_ACT_ERRNO", 9,
                                 {{0, 1, 0, "SCMP_CMP_EQ"}, {1, 0, 0, "SCMP_CMP_EQ"}}));
    std::string text = pfc(sec::compile_seccomp(both));
    // AND: the second comparison is nested in the first.
    CHECK_THAT(text, Catch::Contains("if ($a0.lo32 == 1)"));
    CHECK_THAT(text, Catch::Contains("if ($a1.lo32 == 0)"));

    Seccomp same = allow_all();
    same.syscalls.push_back(rule({"getpriority"}, "SCMP_ACT_ERRNO", 9,
                                 {{0, 1, 0, "SCMP_CMP_EQ"}, {0, 2, 0, "SCMP_CMP_EQ"}}));
    text = pfc(sec::compile_seccomp(same));
    CHECK_THAT(text, Catch::Contains("if ($a0.lo32 == 1)"));
    CHECK_THAT(text, Catch::Contains("if ($a0.lo32 == 2)"));
}

TEST_CASE("seccomp: unknown syscalls warn, default-action rules are skipped",
          "[security][seccomp]") {
    Seccomp s = allow_all();
    s.syscalls.push_back(rule({"no_such_syscall", "getcwd"}, "SCMP_ACT_ERRNO"));
    s.syscalls.push_back(rule({"mkdir"}, "SCMP_ACT_ALLOW"));
    s.syscalls.push_back(rule({"no_such_either"}, "SCMP_ACT_NOTIFY"));
    sec::SeccompProgram program = sec::compile_seccomp(s);
    REQUIRE(program.warnings.size() == 2);
    CHECK_THAT(program.warnings[0], Catch::Contains("\"no_such_syscall\" is unknown"));
    CHECK_THAT(program.warnings[1], Catch::Contains("\"no_such_either\" is unknown"));
    CHECK_FALSE(program.uses_notify);  // no NOTIFY rule was actually added
    std::string text = pfc(program);
    CHECK_THAT(text, Catch::Contains("if ($syscall == 79)"));
    CHECK_THAT(text, !Catch::Contains("$syscall == 83"));  // mkdir rule skipped
}

TEST_CASE("seccomp: architectures and flags", "[security][seccomp]") {
    Seccomp s = allow_all();
    s.architectures = {"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"};
    s.flags = {"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
               "SECCOMP_FILTER_FLAG_SPEC_ALLOW"};
    s.syscalls.push_back(rule({"getcwd"}, "SCMP_ACT_ERRNO"));
    sec::SeccompProgram program = sec::compile_seccomp(s);
    std::string text = pfc(program);
    CHECK_THAT(text, Catch::Contains("filter for arch x86 ("));
    CHECK_THAT(text, Catch::Contains("filter for arch x32 ("));
    std::uint32_t value = 0;
    REQUIRE(seccomp_attr_get(program.get(), SCMP_FLTATR_CTL_TSYNC, &value) == 0);
    CHECK(value == 1);
    REQUIRE(seccomp_attr_get(program.get(), SCMP_FLTATR_CTL_LOG, &value) == 0);
    CHECK(value == 1);
    REQUIRE(seccomp_attr_get(program.get(), SCMP_FLTATR_CTL_SSB, &value) == 0);
    CHECK(value == 1);
    // noNewPrivileges is the spec's job, not a side effect of loading seccomp.
    REQUIRE(seccomp_attr_get(program.get(), SCMP_FLTATR_CTL_NNP, &value) == 0);
    CHECK(value == 0);
    CHECK(sec::seccomp_arch("SCMP_ARCH_AARCH64") == SCMP_ARCH_AARCH64);
    CHECK(sec::seccomp_arch("SCMP_ARCH_RISCV64") == SCMP_ARCH_RISCV64);
}

TEST_CASE("seccomp: bad input is an error naming the item", "[security][seccomp]") {
    auto fails = [](Seccomp s, const std::string& message) {
        INFO(message);
        CHECK_THROWS_WITH(sec::compile_seccomp(s), Catch::Contains(message));
    };
    Seccomp s = allow_all();
    s.default_action = "SCMP_ACT_BOGUS";
    fails(s, "seccomp defaultAction: seccomp action \"SCMP_ACT_BOGUS\": unknown");
    s = allow_all();
    s.default_errno_ret = 5;
    fails(s, "seccomp action SCMP_ACT_ALLOW does not take errnoRet");
    s = allow_all();
    s.default_action = "SCMP_ACT_NOTIFY";
    fails(s, "defaultAction SCMP_ACT_NOTIFY: not allowed");
    s = allow_all();
    s.architectures = {"SCMP_ARCH_Z80"};
    fails(s, "seccomp architecture \"SCMP_ARCH_Z80\": unknown");
    s.architectures = {"SCMP_ARCH_LOONGARCH64"};
    fails(s, "seccomp architecture SCMP_ARCH_LOONGARCH64: not supported by libseccomp 2.5");
    s = allow_all();
    s.flags = {"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"};
    fails(s, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV: not supported by libseccomp 2.5 (needs 2.6)");
    s.flags = {"SECCOMP_FILTER_FLAG_FAST"};
    fails(s, "seccomp flag \"SECCOMP_FILTER_FLAG_FAST\": unknown");
    s = allow_all();
    s.syscalls.push_back(rule({"getcwd"}, "SCMP_ACT_KILL", 1));
    fails(s, "seccomp rule for getcwd: seccomp action SCMP_ACT_KILL does not take errnoRet");
    s = allow_all();
    s.syscalls.push_back(rule({"getcwd"}, "SCMP_ACT_ERRNO", 70000));
    fails(s, "seccomp errnoRet 70000: above 65535");
    s = allow_all();
    s.syscalls.push_back(rule({"getcwd"}, "SCMP_ACT_ERRNO", 1, {{6, 0, 0, "SCMP_CMP_EQ"}}));
    fails(s, "arg index 6");
    s = allow_all();
    s.syscalls.push_back(rule({"getcwd"}, "SCMP_ACT_ERRNO", 1, {{0, 0, 0, "SCMP_CMP_SIMILAR"}}));
    fails(s, "seccomp operator \"SCMP_CMP_SIMILAR\": unknown");
    s = allow_all();
    s.syscalls.push_back(rule({"getcwd"}, "SCMP_ACT_FREEZE"));
    fails(s, "seccomp rule for getcwd: seccomp action \"SCMP_ACT_FREEZE\": unknown");
    s = allow_all();
    s.syscalls.push_back(rule({}, "SCMP_ACT_ERRNO"));
    fails(s, "no names");
    s = allow_all();
    s.syscalls.push_back(rule({"recvmsg", "sendmsg"}, "SCMP_ACT_NOTIFY"));
    fails(s, "seccomp rule for sendmsg: SCMP_ACT_NOTIFY not allowed");
}

TEST_CASE("seccomp: a program is movable and owns one context", "[security][seccomp]") {
    Seccomp s = allow_all();
    s.syscalls.push_back(rule({"getcwd"}, "SCMP_ACT_NOTIFY"));
    sec::SeccompProgram a = sec::compile_seccomp(s);
    scmp_filter_ctx ctx = a.get();
    sec::SeccompProgram b(std::move(a));
    CHECK(b.get() == ctx);
    CHECK(a.get() == nullptr);  // NOLINT(bugprone-use-after-move): checking the moved-from state
    CHECK(b.uses_notify);
    sec::SeccompProgram c;
    c = std::move(b);
    CHECK(c.get() == ctx);
}

TEST_CASE("seccomp: container process state JSON", "[security][seccomp]") {
    std::string json = sec::seccomp_process_state_json(
        4422, "MKNOD=/dev/null;\"q\"", R"({"ociVersion":"1.3.0","id":"c1","status":"creating"})");
    rapidjson::Document doc;
    doc.Parse(json.c_str());
    REQUIRE_FALSE(doc.HasParseError());
    CHECK(std::string(doc["ociVersion"].GetString()) == "1.3.0");
    REQUIRE(doc["fds"].Size() == 1);
    CHECK(std::string(doc["fds"][0].GetString()) == "seccompFd");
    CHECK(doc["pid"].GetInt() == 4422);
    CHECK(std::string(doc["metadata"].GetString()) == "MKNOD=/dev/null;\"q\"");
    CHECK(std::string(doc["state"]["id"].GetString()) == "c1");
    std::string bare = sec::seccomp_process_state_json(1, "", "{}");
    CHECK(bare.find("metadata") == std::string::npos);
}
