#include "runtime/security/process_attrs.hpp"

#include <sys/prctl.h>

#include "base/error.hpp"
#include "base/procfs.hpp"

namespace hull::security {

void apply_oom_score_adj(int score) {
    try {
        write_procfs("self/oom_score_adj", std::to_string(score));
    } catch (const Error& e) {
        throw e.with_context("set oom_score_adj to " + std::to_string(score));
    }
}

void set_no_new_privileges() {
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) throw_errno("prctl(PR_SET_NO_NEW_PRIVS)");
}

}  // namespace hull::security
