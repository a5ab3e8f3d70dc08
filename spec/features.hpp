// `hull features`: what this build of hull supports (features.md, features-linux.md).
#pragma once

#include <string>

namespace hull::spec {

// Pretty-printed features.json; validates against features-schema.json.
std::string features_json();

}  // namespace hull::spec
