// hull_conformance_checker: runs as a container's process and reports, in TAP, whether each
// setting of the config.json it was started with took effect. Linked statically so it runs in a
// rootfs without a libc.
#include <cstdio>
#include <cstring>
#include <string>

#include <rapidjson/document.h>

#include "conformance/checker/checks.hpp"

using namespace hull::conformance;

static std::string directory_of(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? "." : path.substr(0, slash);
}

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s CONFIG.JSON [HOST-FACTS]\n", argv[0]);
        return 2;
    }
    const std::string config_path = argv[1];
    const auto text = read_text(config_path);
    if (!text) {
        std::printf("1..1\nnot ok 1 - /config: cannot read %s\n", config_path.c_str());
        return 1;
    }
    rapidjson::Document config;
    config.Parse(text->c_str());
    if (config.HasParseError() || !config.IsObject()) {
        std::printf("1..1\nnot ok 1 - /config: %s is not a JSON object\n", config_path.c_str());
        return 1;
    }
    const std::string facts_path = argc > 2 ? argv[2] : directory_of(config_path) + "/host.facts";
    Tap tap;
    Context ctx{config, read_host_facts(facts_path), tap, {argv, argv + argc}, read_mountinfo()};
    check_process(ctx);
    check_capabilities(ctx);
    check_namespaces(ctx);
    check_mounts(ctx);
    check_devices(ctx);
    check_paths(ctx);
    check_kernel(ctx);
    check_cgroups(ctx);
    // Last: it deliberately calls syscalls the configured filter turns into errors.
    check_seccomp(ctx);
    return tap.finish();
}
