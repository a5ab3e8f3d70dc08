// User namespaces that only carry an id mapping, for idmapped mounts.
#pragma once

#include <vector>

#include "base/unique_fd.hpp"
#include "spec/config.hpp"

namespace hull::bundle {

// An fd of a new user namespace with these uid/gid maps ("containerID hostID size" lines, as
// in linux.uidMappings). A short-lived child creates it; the child is reaped before return.
unique_fd make_userns_fd(const std::vector<spec::IdMapping>& uid_mappings,
                         const std::vector<spec::IdMapping>& gid_mappings);

}  // namespace hull::bundle
