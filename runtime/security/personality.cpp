#include <sys/personality.h>

#include "base/error.hpp"
#include "runtime/security/process_attrs.hpp"

namespace hull::security {

unsigned long personality_value(const spec::Personality& personality) {
    unsigned long value = 0;
    if (personality.domain == "LINUX") {
        value = PER_LINUX;
    } else if (personality.domain == "LINUX32") {
        value = PER_LINUX32;
    } else {
        throw Error("personality domain \"" + personality.domain + "\": unknown");
    }
    // runtime-spec v1.3.0 defines no flag values ("Currently no flag values are supported").
    if (!personality.flags.empty()) {
        throw Error("personality flag \"" + personality.flags.front() + "\": not supported");
    }
    return value;
}

void apply_personality(const spec::Personality& personality) {
    unsigned long value = personality_value(personality);
    if (::personality(value) < 0) throw_errno("personality " + personality.domain);
}

}  // namespace hull::security
