#include "runtime/security/lsm.hpp"

#include <sys/statfs.h>
#include <unistd.h>

#include <cerrno>

#include "base/error.hpp"
#include "base/file.hpp"
#include "base/procfs.hpp"

namespace hull::security {

namespace {

constexpr long kSelinuxMagic = 0xf97cff8c;  // SELINUX_MAGIC from <linux/magic.h>

std::string read_or_empty(const std::string& path) {
    try {
        // Absent is the usual answer (no AppArmor): it costs no exception.
        return read_file_if_exists(path).value_or("");
    } catch (const Error&) {
        return {};
    }
}

void write_label(const std::string& primary, const std::string& fallback, const std::string& data,
                 const std::string& what) {
    try {
        write_procfs(primary, data);
    } catch (const Error& e) {
        // Only a missing file means "older kernel, use the shared attr file".
        if (fallback.empty() || e.code() != ENOENT) throw e.with_context(what);
        try {
            write_procfs(fallback, data);
        } catch (const Error& e2) {
            throw e2.with_context(what);
        }
    }
}

}  // namespace

bool apparmor_enabled() {
    std::string enabled = read_or_empty("/sys/module/apparmor/parameters/enabled");
    if (enabled.empty() || enabled[0] != 'Y') return false;
    std::string lsms = read_or_empty("/sys/kernel/security/lsm");
    if (lsms.empty()) return true;  // securityfs not mounted here: trust the module parameter
    while (!lsms.empty() && (lsms.back() == '\n' || lsms.back() == '\0'))
        lsms.pop_back();
    return ("," + lsms + ",").find(",apparmor,") != std::string::npos;
}

bool selinux_enabled() {
    struct statfs st {};
    if (::statfs("/sys/fs/selinux", &st) < 0) return false;
    if (static_cast<long>(st.f_type) != kSelinuxMagic) return false;
    return ::access("/sys/fs/selinux/enforce", F_OK) == 0;
}

LsmState detect_lsms() {
    return LsmState{apparmor_enabled(), selinux_enabled()};
}

void require_lsms(const std::string& profile, const std::string& profile_source,
                  const std::string& label, const std::string& label_source, const LsmState& lsms) {
    if (!profile.empty() && !lsms.apparmor)
        throw Error(profile_source + ": \"" + profile +
                    "\" requested but AppArmor is not enabled on this host");
    if (!label.empty() && !lsms.selinux)
        throw Error(label_source + ": \"" + label +
                    "\" requested but SELinux is not enabled on this host");
}

void apply_lsm_labels(const spec::Process& process, const LsmState& lsms) {
    if (!process.apparmor_profile.empty()) {
        if (!lsms.apparmor) {
            throw Error("apparmorProfile \"" + process.apparmor_profile +
                        "\" requested but AppArmor is not enabled on this host");
        }
        write_label("thread-self/attr/apparmor/exec", "thread-self/attr/exec",
                    "exec " + process.apparmor_profile,
                    "set AppArmor profile \"" + process.apparmor_profile + "\"");
    }
    if (!process.selinux_label.empty()) {
        if (!lsms.selinux) {
            throw Error("selinuxLabel \"" + process.selinux_label +
                        "\" requested but SELinux is not enabled on this host");
        }
        write_label("thread-self/attr/exec", "", process.selinux_label,
                    "set SELinux label \"" + process.selinux_label + "\"");
    }
}

}  // namespace hull::security
