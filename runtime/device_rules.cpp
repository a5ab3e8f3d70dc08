#include "runtime/device_rules.hpp"

namespace hull::runtime {

namespace {

spec::DeviceCgroupRule allow(const char* type, std::optional<std::int64_t> major,
                             std::optional<std::int64_t> minor, const char* access) {
    return spec::DeviceCgroupRule{true, type, major, minor, access};
}

}  // namespace

std::vector<spec::DeviceCgroupRule> effective_device_rules(const spec::Config& config) {
    std::vector<spec::DeviceCgroupRule> rules;
    if (config.linux && config.linux->resources) rules = config.linux->resources->devices;
    const std::vector<spec::DeviceCgroupRule> defaults = {
        allow("c", std::nullopt, std::nullopt, "m"),  // mknod of any char device
        allow("b", std::nullopt, std::nullopt, "m"),  // mknod of any block device
        allow("c", 1, 3, "rwm"),                      // /dev/null
        allow("c", 1, 5, "rwm"),                      // /dev/zero
        allow("c", 1, 7, "rwm"),                      // /dev/full
        allow("c", 5, 0, "rwm"),                      // /dev/tty
        allow("c", 1, 8, "rwm"),                      // /dev/random
        allow("c", 1, 9, "rwm"),                      // /dev/urandom
        allow("c", 5, 2, "rwm"),                      // /dev/ptmx
        allow("c", 136, std::nullopt, "rwm"),         // /dev/pts/*
    };
    rules.insert(rules.end(), defaults.begin(), defaults.end());
    return rules;
}

}  // namespace hull::runtime
