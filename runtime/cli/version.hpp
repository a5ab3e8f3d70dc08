#pragma once

#include <string>

namespace hull::cli {

// `hull --version`: hull's, the runtime-spec's and the libraries' versions, one per line
// in runc's layout.
std::string version_text();

}  // namespace hull::cli
