#include "runtime/security/seccomp.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <set>
#include <utility>

#include "base/error.hpp"
#include "spec/seccomp_names.hpp"

namespace hull::security {

namespace {

constexpr std::uint32_t kMaxErrno = 0xffff;  // SECCOMP_RET_DATA is 16 bits

[[noreturn]] void throw_rc(const std::string& what, int rc) {
    throw_errno(what, -rc);
}

void set_flags(scmp_filter_ctx ctx, const std::vector<std::string>& flags) {
    for (const auto& flag : flags) {
        const spec::SeccompFlagName* known = nullptr;
        for (const auto& f : spec::seccomp_flags()) {
            if (f.name == flag) known = &f;
        }
        if (!known) throw Error("seccomp flag \"" + flag + "\": unknown");
        if (!known->attr) {
            throw Error("seccomp flag " + flag + ": not supported by libseccomp " +
                        std::to_string(SCMP_VER_MAJOR) + "." + std::to_string(SCMP_VER_MINOR) +
                        " (needs 2.6)");
        }
        int rc = seccomp_attr_set(ctx, *known->attr, 1);
        if (rc < 0) throw_rc("seccomp flag " + flag, rc);
    }
}

std::vector<scmp_arg_cmp> conditions(const spec::SeccompSyscall& rule) {
    std::vector<scmp_arg_cmp> out;
    for (const auto& arg : rule.args) {
        if (arg.index > 5) {
            throw Error("seccomp rule arg index " + std::to_string(arg.index) +
                        ": syscalls have 6 arguments (0-5)");
        }
        scmp_arg_cmp cmp{};
        cmp.arg = arg.index;
        cmp.op = seccomp_operator(arg.op);
        // MASKED_EQ compares (arg & value) == valueTwo; the others compare arg with value.
        cmp.datum_a = arg.value;
        cmp.datum_b = arg.value_two;
        out.push_back(cmp);
    }
    return out;
}

bool repeats_an_index(const std::vector<scmp_arg_cmp>& conds) {
    unsigned seen = 0;
    for (const auto& c : conds) {
        if (seen & (1u << c.arg)) return true;
        seen |= 1u << c.arg;
    }
    return false;
}

void add_rule(scmp_filter_ctx ctx, std::uint32_t action, const std::string& name, int nr,
              const std::vector<scmp_arg_cmp>& conds) {
    auto add = [&](unsigned count, const scmp_arg_cmp* array) {
        int rc = seccomp_rule_add_array(ctx, action, nr, count, array);
        if (rc < 0) throw_rc("seccomp rule for " + name, rc);
    };
    if (!repeats_an_index(conds)) {
        add(static_cast<unsigned>(conds.size()), conds.data());
        return;
    }
    for (const auto& cond : conds)
        add(1, &cond);
}

}  // namespace

SeccompProgram::SeccompProgram(SeccompProgram&& other) noexcept
    : warnings(std::move(other.warnings)),
      uses_notify(other.uses_notify),
      ctx_(std::exchange(other.ctx_, nullptr)) {}

SeccompProgram& SeccompProgram::operator=(SeccompProgram&& other) noexcept {
    if (this != &other) {
        if (ctx_) seccomp_release(ctx_);
        ctx_ = std::exchange(other.ctx_, nullptr);
        warnings = std::move(other.warnings);
        uses_notify = other.uses_notify;
    }
    return *this;
}

SeccompProgram::~SeccompProgram() {
    if (ctx_) seccomp_release(ctx_);
}

std::uint32_t seccomp_action(const std::string& name,
                             const std::optional<std::uint32_t>& errno_ret) {
    const spec::SeccompActionName* known = spec::find_seccomp_action(name);
    bool takes_errno = known && known->takes_errno;
    if (errno_ret && !takes_errno) {
        throw Error("seccomp action " + name + " does not take errnoRet");
    }
    std::uint32_t err = errno_ret.value_or(EPERM);
    if (err > kMaxErrno) {
        throw Error("seccomp errnoRet " + std::to_string(err) + ": above " +
                    std::to_string(kMaxErrno));
    }
    if (!known) throw Error("seccomp action \"" + name + "\": unknown");
    // SCMP_ACT_ERRNO(err) and SCMP_ACT_TRACE(err) carry the errno in their low 16 bits.
    return takes_errno ? known->action | err : known->action;
}

scmp_compare seccomp_operator(const std::string& name) {
    for (const auto& known : spec::seccomp_operators()) {
        if (known.name == name) return known.op;
    }
    throw Error("seccomp operator \"" + name + "\": unknown");
}

std::uint32_t seccomp_arch(const std::string& name) {
    for (const auto& arch : spec::seccomp_archs()) {
        if (name == arch.name) return arch.token;
    }
    for (std::string_view arch : spec::seccomp_archs_too_new()) {
        if (name == arch) {
            throw Error("seccomp architecture " + name + ": not supported by libseccomp " +
                        std::to_string(SCMP_VER_MAJOR) + "." + std::to_string(SCMP_VER_MINOR));
        }
    }
    throw Error("seccomp architecture \"" + name + "\": unknown");
}

namespace {

// A profile rule once its action and conditions are checked.
struct Rule {
    const spec::SeccompSyscall* spec;
    std::uint32_t action;
    std::vector<scmp_arg_cmp> conds;
};

// A new filter with the profile's default action and flags, for the architecture `arch` alone
// (the native one when arch is native).
scmp_filter_ctx new_filter(std::uint32_t default_action, const spec::Seccomp& seccomp,
                           std::uint32_t arch, std::uint32_t native) {
    scmp_filter_ctx ctx = seccomp_init(default_action);
    if (!ctx) throw Error("seccomp_init failed for defaultAction " + seccomp.default_action);
    SeccompProgram owner(ctx);
    int rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
    if (rc < 0) throw_rc("seccomp: turn off no_new_privs on load", rc);
    set_flags(ctx, seccomp.flags);
    if (arch != native) {
        rc = seccomp_arch_add(ctx, arch);
        if (rc < 0) throw_rc("seccomp architecture " + std::to_string(arch), rc);
        rc = seccomp_arch_remove(ctx, native);
        if (rc < 0) throw_rc("seccomp: remove the native architecture", rc);
    }
    return owner.release();
}

// Whether unknown syscalls get ENOSYS under this default action: only where the default
// refuses (an errno other than ENOSYS itself, a kill or a trap); a default that lets
// syscalls through (allow, log, trace) already lets the kernel answer ENOSYS.
bool refuses(const std::string& default_action, std::uint32_t action) {
    if (action == SCMP_ACT_ERRNO(ENOSYS)) return false;
    return default_action == "SCMP_ACT_ERRNO" || default_action == "SCMP_ACT_KILL" ||
           default_action == "SCMP_ACT_KILL_PROCESS" || default_action == "SCMP_ACT_KILL_THREAD" ||
           default_action == "SCMP_ACT_TRAP";
}

// Numbers above every number the profile names are syscalls newer than the profile: they get
// ENOSYS rather than the default action, so that libc falls back to an older syscall
// (clone3 -> clone, faccessat2 -> faccessat...) instead of failing with, say, EPERM. This is
// runc's rule (libcontainer/seccomp/patchbpf) and crun's: per architecture, because syscall
// numbers differ between them. A syscall the profile names, whatever its number, keeps its
// rule or the default action; one it does not name below its highest keeps the default.
//
// libseccomp has no "above N" rule, so each number gets its own: on the native architecture
// every number up to kNativeLimit (also those libseccomp 2.5 cannot name yet, from kernels
// newer than it); on another architecture those that libseccomp can name there and on the
// native one (it takes rule numbers in native numbering and translates them by name).
constexpr int kNativeLimit = 1024;

void add_enosys_rules(scmp_filter_ctx ctx, std::uint32_t arch, std::uint32_t native,
                      const std::vector<Rule>& rules) {
    std::set<std::string> named;
    int highest = -1;
    for (const auto& rule : rules)
        for (const auto& name : rule.spec->names) {
            named.insert(name);
            int nr = seccomp_syscall_resolve_name_arch(arch, name.c_str());
            // Negative: libseccomp's pseudo number of a syscall this architecture lacks or
            // multiplexes (socketcall, ipc on x86), which the profile's rules cover.
            if (nr != __NR_SCMP_ERROR && nr >= 0) highest = std::max(highest, nr);
        }
    if (highest < 0) return;  // a profile that names nothing here: nothing is "newer"
    // Whether libseccomp's name for nr on arch is one the profile names (a multiplexed
    // syscall's direct number can lie above the highest): its rules stand.
    auto is_named = [&](int nr) {
        char* name = seccomp_syscall_resolve_num_arch(arch, nr);
        bool found = name && named.count(name);
        std::free(name);
        return found;
    };
    auto add = [&](int rule_nr, int nr) {
        int rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), rule_nr, 0);
        if (rc < 0) throw_rc("seccomp ENOSYS rule for syscall " + std::to_string(nr), rc);
    };
    if (arch == native) {
        for (int nr = highest + 1; nr < kNativeLimit; ++nr)
            if (!is_named(nr)) add(nr, nr);
        return;
    }
    // Another architecture's numbers may carry a flag bit (x32): scan up from its highest.
    for (int nr = highest + 1; nr < highest + kNativeLimit; ++nr) {
        char* name = seccomp_syscall_resolve_num_arch(arch, nr);
        if (!name) continue;
        bool skip = named.count(name) != 0;
        int native_nr = seccomp_syscall_resolve_name(name);
        std::free(name);
        if (skip || native_nr == __NR_SCMP_ERROR || native_nr < 0) continue;
        add(native_nr, nr);
    }
}

}  // namespace

SeccompProgram compile_seccomp(const spec::Seccomp& seccomp) {
    if (seccomp.default_action == "SCMP_ACT_NOTIFY") {
        throw Error(
            "seccomp defaultAction SCMP_ACT_NOTIFY: not allowed (it would trap the "
            "runtime's own system calls before execve)");
    }
    std::uint32_t default_action;
    try {
        default_action = seccomp_action(seccomp.default_action, seccomp.default_errno_ret);
    } catch (const Error& e) {
        throw e.with_context("seccomp defaultAction");
    }

    std::vector<Rule> rules;
    for (const auto& rule : seccomp.syscalls) {
        std::string first = rule.names.empty() ? "(no names)" : rule.names.front();
        Rule r{&rule, 0, {}};
        try {
            r.action = seccomp_action(rule.action, rule.errno_ret);
            r.conds = conditions(rule);
        } catch (const Error& e) {
            throw e.with_context("seccomp rule for " + first);
        }
        if (rule.names.empty())
            throw Error("seccomp rule with action " + rule.action + ": no names");
        if (r.action == SCMP_ACT_NOTIFY) {
            for (const auto& name : rule.names) {
                // The listener fd reaches the agent through sendmsg after the filter is loaded;
                // trapping sendmsg would wait for an agent that can never answer.
                if (name == "sendmsg") {
                    throw Error(
                        "seccomp rule for sendmsg: SCMP_ACT_NOTIFY not allowed (the "
                        "runtime needs sendmsg to hand the listener to the agent)");
                }
            }
        }
        rules.push_back(std::move(r));
    }

    // One filter per architecture, merged at the end: the ENOSYS rules differ between them.
    const std::uint32_t native = seccomp_arch_native();
    std::vector<std::uint32_t> arches = {native};
    for (const auto& name : seccomp.architectures) {
        std::uint32_t arch = seccomp_arch(name);
        if (std::find(arches.begin(), arches.end(), arch) == arches.end()) arches.push_back(arch);
    }
    const bool enosys = refuses(seccomp.default_action, default_action);
    SeccompProgram program;
    for (std::uint32_t arch : arches) {
        SeccompProgram part(new_filter(default_action, seccomp, arch, native));
        for (const auto& rule : rules) {
            if (rule.action == default_action) continue;
            for (const auto& name : rule.spec->names) {
                int nr = seccomp_syscall_resolve_name(name.c_str());
                if (nr == __NR_SCMP_ERROR) {
                    if (arch == native)
                        program.warnings.push_back("seccomp: syscall \"" + name +
                                                   "\" is unknown on this architecture, rule "
                                                   "skipped");
                    continue;
                }
                add_rule(part.get(), rule.action, name, nr, rule.conds);
                if (rule.action == SCMP_ACT_NOTIFY) program.uses_notify = true;
            }
        }
        if (enosys) add_enosys_rules(part.get(), arch, native, rules);
        if (!program.get()) {
            std::vector<std::string> warnings = std::move(program.warnings);
            bool notify = program.uses_notify;
            program = std::move(part);
            program.warnings = std::move(warnings);
            program.uses_notify = notify;
            continue;
        }
        // seccomp_merge takes the second filter over (and frees it) only when it succeeds.
        int rc = seccomp_merge(program.get(), part.get());
        if (rc < 0)
            throw_rc("seccomp: merge the filter for architecture " + std::to_string(arch), rc);
        part.release();
    }
    if (program.uses_notify && seccomp_api_get() < 5) {
        throw Error("seccomp SCMP_ACT_NOTIFY: not supported by this kernel/libseccomp (API level " +
                    std::to_string(seccomp_api_get()) + ")");
    }
    return program;
}

unique_fd load_seccomp(SeccompProgram& program) {
    if (!program.get()) throw Error("load seccomp: no compiled filter");
    int rc = seccomp_load(program.get());
    if (rc < 0) throw_rc("load seccomp filter", rc);
    if (!program.uses_notify) return unique_fd();
    int fd = seccomp_notify_fd(program.get());
    if (fd < 0) throw_rc("seccomp listener fd", fd);
    return unique_fd(fd);
}

}  // namespace hull::security
