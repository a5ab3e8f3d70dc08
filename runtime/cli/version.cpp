#include "runtime/cli/version.hpp"

#include <seccomp.h>
#include <sys/capability.h>

#include "spec/config.hpp"

namespace hull::cli {

std::string version_text() {
    const struct scmp_version* sv = seccomp_version();
    std::string seccomp = std::to_string(sv->major) + "." + std::to_string(sv->minor) + "." +
                          std::to_string(sv->micro);
    return std::string("hull version ") + HULL_VERSION + "\nspec: " + spec::kOciVersion +
           "\nlibseccomp: " + seccomp + "\nlibcap: " + std::to_string(LIBCAP_MAJOR) + "." +
           std::to_string(LIBCAP_MINOR) + "\n";
}

}  // namespace hull::cli
