#include "runtime/security/capabilities.hpp"

#include <linux/capability.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>

#include "base/error.hpp"
#include "base/syscalls.hpp"
#include "spec/capability_names.hpp"

namespace hull::security {

namespace {

CapMask bit(int cap) {
    return CapMask{1} << cap;
}

// Turns one named set into a mask, warning about names that cannot map to this kernel.
CapMask to_mask(const std::optional<std::vector<std::string>>& names, const char* set,
                const CapState& current, std::vector<std::string>& warnings) {
    CapMask mask = 0;
    if (!names) return mask;
    for (const auto& name : *names) {
        std::optional<int> cap = capability_number(name);
        if (!cap) {
            warnings.push_back(std::string(set) + " capability " + name + ": unknown, ignored");
        } else if (*cap > current.last_cap) {
            warnings.push_back(std::string(set) + " capability " + name +
                               ": not supported by the running kernel, ignored");
        } else {
            mask |= bit(*cap);
        }
    }
    return mask;
}

// Drops bits of `wanted` outside `allowed`, with one warning per dropped capability.
CapMask restrict_to(CapMask wanted, CapMask allowed, const char* set, const char* reason,
                    std::vector<std::string>& warnings) {
    CapMask dropped = wanted & ~allowed;
    for (int cap = 0; cap < 64; ++cap) {
        if (dropped & bit(cap)) {
            warnings.push_back(std::string(set) + " capability " + capability_name(cap) + ": " +
                               reason + ", not granted");
        }
    }
    return wanted & allowed;
}

}  // namespace

// One table of names for all of hull: spec/capability_names.
std::optional<int> capability_number(const std::string& name) {
    return spec::capability_number(name);
}

std::string capability_name(int number) {
    std::string name = spec::capability_name(number);
    return name.empty() ? "CAP_" + std::to_string(number) : name;
}

CapPlan plan_capabilities(const spec::Capabilities& caps, const CapState& current) {
    CapPlan plan;
    auto& w = plan.warnings;
    CapMask bounding = to_mask(caps.bounding, "bounding", current, w);
    CapMask permitted = to_mask(caps.permitted, "permitted", current, w);
    CapMask effective = to_mask(caps.effective, "effective", current, w);
    CapMask inheritable = to_mask(caps.inheritable, "inheritable", current, w);
    CapMask ambient = to_mask(caps.ambient, "ambient", current, w);

    const char* no_bound = "not in the runtime's bounding set";
    const char* no_perm = "not in the runtime's permitted set";
    plan.bounding = restrict_to(bounding, current.bounding, "bounding", no_bound, w);
    plan.permitted = restrict_to(permitted, current.permitted, "permitted", no_perm, w);
    plan.effective = restrict_to(effective, current.permitted, "effective", no_perm, w);
    plan.effective =
        restrict_to(plan.effective, plan.permitted, "effective", "not in the permitted set", w);
    // capset(2) without CAP_SETPCAP in effective (we have just changed uid) requires
    // inheritable <= old inheritable|permitted and <= old inheritable|bounding.
    plan.inheritable = restrict_to(inheritable, current.permitted, "inheritable", no_perm, w);
    plan.inheritable =
        restrict_to(plan.inheritable, plan.bounding, "inheritable", "not in the bounding set", w);
    plan.ambient = restrict_to(ambient, plan.permitted & plan.inheritable, "ambient",
                               "not in both the permitted and inheritable sets", plan.notes);
    return plan;
}

CapState read_cap_state() {
    CapState state;
    // PR_CAPBSET_READ fails with EINVAL past the kernel's last capability; probing it works
    // even where /proc/sys is masked.
    state.last_cap = -1;
    for (int cap = 0; cap < 64; ++cap) {
        int r = ::prctl(PR_CAPBSET_READ, cap, 0, 0, 0);
        if (r < 0 && errno == EINVAL) break;
        if (r < 0) throw_errno("prctl(PR_CAPBSET_READ, " + capability_name(cap) + ")");
        state.last_cap = cap;
        if (r == 1) state.bounding |= bit(cap);
    }
    __user_cap_header_struct header{};
    header.version = _LINUX_CAPABILITY_VERSION_3;
    __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3]{};
    if (sys::capget(&header, data) < 0) throw_errno("capget");
    state.permitted = CapMask{data[0].permitted} | (CapMask{data[1].permitted} << 32);
    return state;
}

}  // namespace hull::security
