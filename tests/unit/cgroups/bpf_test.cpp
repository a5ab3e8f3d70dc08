#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>

#include "base/error.hpp"
#include "runtime/cgroups/bpf_devices.hpp"

using namespace hull::cgroups;
using hull::spec::DeviceCgroupRule;

namespace {

// A tiny interpreter for the instruction subset the generator may emit; anything else fails
// the test, which also pins down the program's shape.
int run(const std::vector<bpf_insn>& prog, int type, int access, std::uint32_t major,
        std::uint32_t minor) {
    bpf_cgroup_dev_ctx ctx{static_cast<std::uint32_t>(access << 16 | type), major, minor};
    std::uint64_t r[11] = {};
    const auto* base = reinterpret_cast<const unsigned char*>(&ctx);
    for (size_t pc = 0; pc < prog.size(); ++pc) {
        const bpf_insn& i = prog[pc];
        const auto imm = static_cast<std::uint32_t>(i.imm);
        switch (i.code) {
            case BPF_LDX | BPF_MEM | BPF_W: {
                REQUIRE(i.src_reg == 1);
                REQUIRE(i.off >= 0);
                REQUIRE(static_cast<size_t>(i.off) + 4 <= sizeof ctx);
                std::uint32_t v;
                std::memcpy(&v, base + i.off, 4);
                r[i.dst_reg] = v;
                break;
            }
            case BPF_ALU | BPF_MOV | BPF_X:
                r[i.dst_reg] = static_cast<std::uint32_t>(r[i.src_reg]);
                break;
            case BPF_ALU | BPF_MOV | BPF_K:
                r[i.dst_reg] = imm;
                break;
            case BPF_ALU | BPF_AND | BPF_K:
                r[i.dst_reg] = static_cast<std::uint32_t>(r[i.dst_reg]) & imm;
                break;
            case BPF_ALU | BPF_RSH | BPF_K:
                r[i.dst_reg] = static_cast<std::uint32_t>(r[i.dst_reg]) >> imm;
                break;
            case BPF_JMP | BPF_JNE | BPF_K:
            case BPF_JMP | BPF_JEQ | BPF_K: {
                bool eq =
                    r[i.dst_reg] == static_cast<std::uint64_t>(static_cast<std::int64_t>(i.imm));
                bool jump = (BPF_OP(i.code) == BPF_JEQ) == eq;
                REQUIRE(i.off >= 0);
                REQUIRE(pc + 1 + i.off < prog.size());
                if (jump) pc += i.off;
                break;
            }
            case BPF_JMP | BPF_EXIT:
                return static_cast<int>(r[0]);
            default:
                FAIL("unexpected opcode " << int(i.code) << " at " << pc);
        }
    }
    FAIL("program fell off its end");
    return -1;
}

constexpr int C = BPF_DEVCG_DEV_CHAR, B = BPF_DEVCG_DEV_BLOCK;
constexpr int R = BPF_DEVCG_ACC_READ, W = BPF_DEVCG_ACC_WRITE, M = BPF_DEVCG_ACC_MKNOD;

}  // namespace

TEST_CASE("bpf: no rules denies everything, the program ends in r0=0, exit", "[cgroups][bpf]") {
    auto prog = device_program({});
    REQUIRE(prog.size() == 8);  // 6 context loads/shifts + mov + exit
    CHECK(prog.back().code == (BPF_JMP | BPF_EXIT));
    CHECK(prog[prog.size() - 2].code == (BPF_ALU | BPF_MOV | BPF_K));
    CHECK(prog[prog.size() - 2].imm == 0);
    CHECK(run(prog, C, R, 1, 3) == 0);
}

TEST_CASE("bpf: deny all then allow one device, in config order", "[cgroups][bpf]") {
    std::vector<DeviceCgroupRule> rules = {
        {false, "", std::nullopt, std::nullopt, "rwm"},
        {true, "c", 1, 3, "rwm"},            // /dev/null
        {true, "c", 1, 5, "r"},              // /dev/zero read-only
        {true, "b", 8, std::nullopt, "rw"},  // any sda partition
    };
    auto prog = device_program(rules);
    CHECK(run(prog, C, R | W, 1, 3) == 1);
    CHECK(run(prog, C, M, 1, 3) == 1);
    CHECK(run(prog, C, R, 1, 5) == 1);
    CHECK(run(prog, C, W, 1, 5) == 0);      // w not granted
    CHECK(run(prog, C, R | W, 1, 5) == 0);  // all requested bits must be granted
    CHECK(run(prog, B, R, 8, 17) == 1);
    CHECK(run(prog, B, M, 8, 17) == 0);
    CHECK(run(prog, C, R, 8, 17) == 0);  // type matters
    CHECK(run(prog, C, R, 4, 1) == 0);
}

TEST_CASE("bpf: a later rule overrides an earlier one", "[cgroups][bpf]") {
    std::vector<DeviceCgroupRule> rules = {
        {true, "a", std::nullopt, std::nullopt, "rwm"},
        {false, "c", 1, 3, "w"},
    };
    auto prog = device_program(rules);
    CHECK(run(prog, C, R, 1, 3) == 1);
    CHECK(run(prog, C, W, 1, 3) == 0);
    CHECK(run(prog, C, R | W, 1, 3) == 0);
    CHECK(run(prog, B, W, 1, 3) == 1);
    // Reversed: the allow-all comes last and wins.
    std::vector<DeviceCgroupRule> reversed = {rules[1], rules[0]};
    CHECK(run(device_program(reversed), C, W, 1, 3) == 1);
}

TEST_CASE("bpf: every jump stays inside the program", "[cgroups][bpf]") {
    std::vector<DeviceCgroupRule> rules;
    for (int i = 0; i < 50; ++i)
        rules.push_back({i % 2 == 0, "c", i, i, "rw"});
    auto prog = device_program(rules);
    for (size_t pc = 0; pc < prog.size(); ++pc) {
        if (BPF_CLASS(prog[pc].code) == BPF_JMP && BPF_OP(prog[pc].code) != BPF_EXIT) {
            CHECK(prog[pc].off >= 0);
            CHECK(pc + 1 + static_cast<size_t>(prog[pc].off) < prog.size());
        }
    }
    CHECK(run(prog, C, R, 10, 10) == 1);
    CHECK(run(prog, C, R, 11, 11) == 0);
}

TEST_CASE("bpf: malformed rules name the field", "[cgroups][bpf]") {
    CHECK_THROWS_WITH(device_program({{true, "x", 1, 1, "r"}}),
                      Catch::StartsWith("/linux/resources/devices"));
    CHECK_THROWS_AS(device_program({{true, "c", 1, 1, "q"}}), hull::Error);
    CHECK_THROWS_AS(device_program({{true, "c", std::int64_t{1} << 40, 1, "r"}}), hull::Error);
}
