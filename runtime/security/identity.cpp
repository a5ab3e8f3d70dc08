#include "runtime/security/identity.hpp"

#include <grp.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "base/error.hpp"
#include "base/procfs.hpp"
#include "base/syscalls.hpp"
#include "runtime/security/capabilities.hpp"

namespace hull::security {

namespace {

void drop_bounding(CapMask keep, const CapState& current) {
    for (int cap = 0; cap <= current.last_cap; ++cap) {
        CapMask b = CapMask{1} << cap;
        if ((current.bounding & b) && !(keep & b)) {
            if (::prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) {
                throw_errno("drop " + capability_name(cap) + " from the bounding set");
            }
        }
    }
}

void set_groups(const spec::User& user) {
    std::string policy;
    try {
        policy = read_procfs("self/setgroups");
    } catch (const Error&) {
        policy = "allow";  // kernels before 3.19 have no such file and always allow
    }
    if (policy.rfind("deny", 0) == 0) {
        if (!user.additional_gids.empty()) {
            throw Error("additionalGids requested but setgroups is denied in this user namespace");
        }
        return;
    }
    std::vector<gid_t> gids(user.additional_gids.begin(), user.additional_gids.end());
    if (::setgroups(gids.size(), gids.empty() ? nullptr : gids.data()) < 0) {
        throw_errno("setgroups (" + std::to_string(gids.size()) + " additional gids)");
    }
}

void set_capabilities(const CapPlan& plan) {
    __user_cap_header_struct header{};
    header.version = _LINUX_CAPABILITY_VERSION_3;
    __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3]{};
    for (int i = 0; i < _LINUX_CAPABILITY_U32S_3; ++i) {
        int shift = 32 * i;
        data[i].effective = static_cast<__u32>(plan.effective >> shift);
        data[i].permitted = static_cast<__u32>(plan.permitted >> shift);
        data[i].inheritable = static_cast<__u32>(plan.inheritable >> shift);
    }
    if (sys::capset(&header, data) < 0) throw_errno("capset");

    if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0) {
        throw_errno("clear the ambient capability set");
    }
    for (int cap = 0; cap < 64; ++cap) {
        if (!(plan.ambient & (CapMask{1} << cap))) continue;
        if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0) {
            throw_errno("raise ambient capability " + capability_name(cap));
        }
    }
}

}  // namespace

IdentityReport apply_identity(const spec::User& user,
                              const std::optional<spec::Capabilities>& caps) {
    std::optional<CapPlan> plan;
    if (caps) {
        CapState current = read_cap_state();
        plan = plan_capabilities(*caps, current);
        drop_bounding(plan->bounding, current);
        if (::prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0) throw_errno("prctl(PR_SET_KEEPCAPS, 1)");
    }
    set_groups(user);
    if (::setresgid(user.gid, user.gid, user.gid) < 0) {
        throw_errno("setresgid " + std::to_string(user.gid));
    }
    if (::setresuid(user.uid, user.uid, user.uid) < 0) {
        throw_errno("setresuid " + std::to_string(user.uid));
    }
    if (plan) {
        if (::prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0) throw_errno("prctl(PR_SET_KEEPCAPS, 0)");
        set_capabilities(*plan);
    }
    if (user.umask) ::umask(static_cast<mode_t>(*user.umask & 07777));
    if (!plan) return {};
    return {std::move(plan->warnings), std::move(plan->notes)};
}

}  // namespace hull::security
