// libFuzzer target: config.json and exec's process.json through everything hull does with
// them before touching the system: JSON syntax, the official schemas, conversion and the
// semantic rules. Either a Config comes out or a hull::Error does; anything else (a crash, a
// leak, undefined behaviour, any other exception) is a finding.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/error.hpp"
#include "spec/parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        hull::spec::parse_config(text, "config.json");
    } catch (const hull::Error&) {
    }
    try {
        hull::spec::ValidateOptions system_container;
        system_container.allow_empty_args = true;
        hull::spec::parse_config(text, "config.json", system_container);
    } catch (const hull::Error&) {
    }
    try {
        hull::spec::parse_process(text, "process.json");
    } catch (const hull::Error&) {
    }
    return 0;
}
