#include "runtime/security/process_attrs.hpp"

#include <sys/prctl.h>

#include "base/error.hpp"

namespace hull::security {

void set_no_new_privileges() {
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) throw_errno("prctl(PR_SET_NO_NEW_PRIVS)");
}

}  // namespace hull::security
