#include "runtime/cgroups/bpf_devices.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "base/error.hpp"
#include "base/syscalls.hpp"
#include "base/unique_fd.hpp"

namespace hull::cgroups {

namespace {

// Registers used by the generated program.
constexpr int kCtx = 1, kType = 2, kAccess = 3, kMajor = 4, kMinor = 5, kScratch = 6;

bpf_insn insn(std::uint8_t code, int dst, int src, std::int16_t off, std::int32_t imm) {
    bpf_insn i{};
    i.code = code;
    i.dst_reg = static_cast<std::uint8_t>(dst);
    i.src_reg = static_cast<std::uint8_t>(src);
    i.off = off;
    i.imm = imm;
    return i;
}

bpf_insn load_ctx_u32(int dst, std::int16_t off) {
    return insn(BPF_LDX | BPF_MEM | BPF_W, dst, kCtx, off, 0);
}
bpf_insn mov_reg(int dst, int src) {
    return insn(BPF_ALU | BPF_MOV | BPF_X, dst, src, 0, 0);
}
bpf_insn mov_imm(int dst, std::int32_t imm) {
    return insn(BPF_ALU | BPF_MOV | BPF_K, dst, 0, 0, imm);
}
bpf_insn and_imm(int dst, std::int32_t imm) {
    return insn(BPF_ALU | BPF_AND | BPF_K, dst, 0, 0, imm);
}
bpf_insn rsh_imm(int dst, std::int32_t imm) {
    return insn(BPF_ALU | BPF_RSH | BPF_K, dst, 0, 0, imm);
}
bpf_insn jne_imm(int dst, std::int32_t imm, std::int16_t off) {
    return insn(BPF_JMP | BPF_JNE | BPF_K, dst, 0, off, imm);
}
bpf_insn jeq_imm(int dst, std::int32_t imm, std::int16_t off) {
    return insn(BPF_JMP | BPF_JEQ | BPF_K, dst, 0, off, imm);
}
bpf_insn exit_insn() {
    return insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

struct Rule {
    bool allow;
    int type;  // 0: any
    std::optional<std::int64_t> major, minor;
    int access;
};

Rule convert(const spec::DeviceCgroupRule& r) {
    const std::string field = "/linux/resources/devices";
    Rule out{r.allow, 0, r.major, r.minor, 0};
    if (r.type == "c") {
        out.type = BPF_DEVCG_DEV_CHAR;
    } else if (r.type == "b") {
        out.type = BPF_DEVCG_DEV_BLOCK;
    } else if (!r.type.empty() && r.type != "a") {
        throw Error(field + ": type \"" + r.type + "\" is not one of a, c, b");
    }
    for (char c : r.access.empty() ? std::string("rwm") : r.access) {
        if (c == 'r')
            out.access |= BPF_DEVCG_ACC_READ;
        else if (c == 'w')
            out.access |= BPF_DEVCG_ACC_WRITE;
        else if (c == 'm')
            out.access |= BPF_DEVCG_ACC_MKNOD;
        else
            throw Error(field + ": access \"" + r.access + "\" is not a subset of rwm");
    }
    for (auto* n : {&out.major, &out.minor}) {
        if (*n && *n == -1) n->reset();
        if (*n && (**n < 0 || **n > 0x7fffffffLL)) {
            throw Error(field + ": device number " + std::to_string(**n) + " is out of range");
        }
    }
    if (out.type == 0) {  // "a" covers every device
        out.major.reset();
        out.minor.reset();
    }
    return out;
}

// Instructions for one rule; the jumps skip to the end of the block ("next rule").
std::vector<bpf_insn> rule_block(const Rule& r) {
    std::vector<bpf_insn> checks;
    // Placeholders with off=0; fixed below once the block length is known.
    if (r.type) checks.push_back(jne_imm(kType, r.type, 0));
    if (r.major) checks.push_back(jne_imm(kMajor, static_cast<std::int32_t>(*r.major), 0));
    if (r.minor) checks.push_back(jne_imm(kMinor, static_cast<std::int32_t>(*r.minor), 0));
    checks.push_back(mov_reg(kScratch, kAccess));
    if (r.allow) {
        checks.push_back(and_imm(kScratch, ~r.access & 0x7));
        checks.push_back(jne_imm(kScratch, 0, 0));
    } else {
        checks.push_back(and_imm(kScratch, r.access));
        checks.push_back(jeq_imm(kScratch, 0, 0));
    }
    checks.push_back(mov_imm(0, r.allow ? 1 : 0));
    checks.push_back(exit_insn());
    const int n = static_cast<int>(checks.size());
    for (int i = 0; i < n; ++i) {
        if (BPF_CLASS(checks[i].code) == BPF_JMP && BPF_OP(checks[i].code) != BPF_EXIT) {
            checks[i].off = static_cast<std::int16_t>(n - i - 1);
        }
    }
    return checks;
}

long bpf(int cmd, bpf_attr* attr) {
    return sys::bpf(cmd, attr, sizeof(*attr));
}

}  // namespace

std::vector<bpf_insn> device_program(const std::vector<spec::DeviceCgroupRule>& rules) {
    std::vector<bpf_insn> prog = {
        load_ctx_u32(kType, offsetof(bpf_cgroup_dev_ctx, access_type)),
        and_imm(kType, 0xffff),
        load_ctx_u32(kAccess, offsetof(bpf_cgroup_dev_ctx, access_type)),
        rsh_imm(kAccess, 16),
        load_ctx_u32(kMajor, offsetof(bpf_cgroup_dev_ctx, major)),
        load_ctx_u32(kMinor, offsetof(bpf_cgroup_dev_ctx, minor)),
    };
    std::vector<Rule> converted;
    for (const auto& r : rules)
        converted.push_back(convert(r));
    for (auto it = converted.rbegin(); it != converted.rend(); ++it) {
        auto block = rule_block(*it);
        prog.insert(prog.end(), block.begin(), block.end());
    }
    prog.push_back(mov_imm(0, 0));
    prog.push_back(exit_insn());
    return prog;
}

void install_device_program(int cgroup_dir_fd, const std::vector<bpf_insn>& program) {
    const std::string what = "/linux/resources/devices: ";
    std::vector<std::uint32_t> old_ids(64);
    bpf_attr query{};
    query.query.target_fd = static_cast<std::uint32_t>(cgroup_dir_fd);
    query.query.attach_type = BPF_CGROUP_DEVICE;
    query.query.prog_ids = reinterpret_cast<std::uint64_t>(old_ids.data());
    query.query.prog_cnt = static_cast<std::uint32_t>(old_ids.size());
    if (bpf(BPF_PROG_QUERY, &query) < 0) throw_errno(what + "bpf(BPF_PROG_QUERY)");
    old_ids.resize(query.query.prog_cnt);

    static const char license[] = "Apache-2.0";
    std::vector<char> log(16384);
    bpf_attr load{};
    load.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
    load.insns = reinterpret_cast<std::uint64_t>(program.data());
    load.insn_cnt = static_cast<std::uint32_t>(program.size());
    load.license = reinterpret_cast<std::uint64_t>(license);
    load.log_buf = reinterpret_cast<std::uint64_t>(log.data());
    load.log_size = static_cast<std::uint32_t>(log.size());
    load.log_level = 1;
    long fd = bpf(BPF_PROG_LOAD, &load);
    if (fd < 0) {
        int err = errno;
        throw Error(what + "bpf(BPF_PROG_LOAD): " + std::strerror(err) +
                        "; verifier: " + std::string(log.data()),
                    err);
    }
    unique_fd prog(static_cast<int>(fd));

    bpf_attr attach{};
    attach.target_fd = static_cast<std::uint32_t>(cgroup_dir_fd);
    attach.attach_bpf_fd = static_cast<std::uint32_t>(prog.get());
    attach.attach_type = BPF_CGROUP_DEVICE;
    attach.attach_flags = BPF_F_ALLOW_MULTI;
    if (bpf(BPF_PROG_ATTACH, &attach) < 0) throw_errno(what + "bpf(BPF_PROG_ATTACH)");

    for (std::uint32_t id : old_ids) {
        bpf_attr get{};
        get.prog_id = id;
        long old = bpf(BPF_PROG_GET_FD_BY_ID, &get);
        if (old < 0) continue;  // already gone
        unique_fd old_fd(static_cast<int>(old));
        bpf_attr detach{};
        detach.target_fd = static_cast<std::uint32_t>(cgroup_dir_fd);
        detach.attach_bpf_fd = static_cast<std::uint32_t>(old_fd.get());
        detach.attach_type = BPF_CGROUP_DEVICE;
        if (bpf(BPF_PROG_DETACH, &detach) < 0 && errno != ENOENT) {
            throw_errno(what + "bpf(BPF_PROG_DETACH) of program " + std::to_string(id));
        }
    }
}

}  // namespace hull::cgroups
