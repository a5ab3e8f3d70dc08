#include "spec/config.hpp"

namespace hull::spec {

bool Config::has_namespace(const std::string& type) const {
    return find_namespace(type) != nullptr;
}

const Namespace* Config::find_namespace(const std::string& type) const {
    if (!linux) return nullptr;
    for (const auto& ns : linux->namespaces) {
        if (ns.type == type) return &ns;
    }
    return nullptr;
}

}  // namespace hull::spec
