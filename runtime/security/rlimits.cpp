#include <sys/resource.h>

#include <set>

#include "base/error.hpp"
#include "runtime/security/process_attrs.hpp"
#include "spec/rlimit_names.hpp"

namespace hull::security {

int rlimit_resource(const std::string& name) {
    if (auto resource = spec::rlimit_number(name)) return *resource;
    throw Error("rlimit \"" + name + "\": unknown resource type");
}

void apply_rlimits(const std::vector<spec::Rlimit>& rlimits) {
    std::set<std::string> seen;
    for (const auto& limit : rlimits) {
        rlimit_resource(limit.type);
        if (!seen.insert(limit.type).second) {
            throw Error("rlimit " + limit.type + ": listed more than once");
        }
        if (limit.soft > limit.hard) {
            throw Error("rlimit " + limit.type + ": soft limit " + std::to_string(limit.soft) +
                        " is above hard limit " + std::to_string(limit.hard));
        }
    }
    for (const auto& limit : rlimits) {
        // rlim_t is 64-bit and RLIM_INFINITY is all ones, so the spec's uint64 maps 1:1.
        struct rlimit value {};
        value.rlim_cur = limit.soft;
        value.rlim_max = limit.hard;
        if (::prlimit(0, static_cast<__rlimit_resource>(rlimit_resource(limit.type)), &value,
                      nullptr) < 0) {
            throw_errno("set rlimit " + limit.type + " to soft " + std::to_string(limit.soft) +
                        " hard " + std::to_string(limit.hard));
        }
    }
}

}  // namespace hull::security
