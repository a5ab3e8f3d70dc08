// The switch from the runtime's privileged identity to the container process's user, keeping
// exactly the configured capabilities.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "spec/config.hpp"

namespace hull::security {

// Order (each step needs privileges a later step removes):
//   1. drop the bounding set to caps->bounding (needs CAP_SETPCAP);
//   2. PR_SET_KEEPCAPS so the uid change keeps the permitted set;
//   3. setgroups(additionalGids) — skipped when /proc/self/setgroups is "deny" (an
//      unprivileged user namespace), which is an error only if gids were requested;
//   4. setresgid, setresuid; 5. clear keepcaps;
//   6. capset effective/permitted/inheritable exactly; 7. clear ambient, raise each listed;
//   8. umask, when user.umask is set.
// caps == nullopt (no "capabilities" object): capabilities are not touched at all, so the
// kernel's uid rules apply (root keeps everything, a non-root uid loses all). For a present
// object, an absent set keeps nothing — see plan_capabilities().
// umask unset: left unchanged, as config.md says ("should not be changed from the calling
// process' umask"); runc forces 0022 instead, hull follows the spec text.
// Returns what could not be granted (the spec says to warn, not fail): see CapPlan's warnings
// and notes. Throws Error naming the step on failure.
struct IdentityReport {
    std::vector<std::string> warnings;
    std::vector<std::string> notes;
};
IdentityReport apply_identity(const spec::User& user,
                              const std::optional<spec::Capabilities>& caps);

}  // namespace hull::security
