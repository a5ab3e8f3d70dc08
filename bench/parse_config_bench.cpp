// Micro-benchmark of what every hull invocation that reads config.json pays: JSON parsing alone,
// the first validate_config_schema() of a process (which parses the schema files it needs), later
// schema validations, and the whole spec::parse_config(). Not part of the CMake build; compile
// against a build directory by hand:
//
//   g++ -std=c++20 -O2 -I. -DRAPIDJSON_HAS_STDSTRING=1 bench/parse_config_bench.cpp
//       build-bench/libhull_spec.a build-bench/libhull_base.a -lseccomp -o /tmp/pcb
//   (one command line; run from the repository root)
//   /tmp/pcb BUNDLE/config.json
//
// Prints microseconds, and how much the parsed schemas add to the resident set. Run it several
// times: the "first" numbers are per-process costs.
#include <rapidjson/document.h>

#include <chrono>
#include <cstdio>

#include "base/file.hpp"
#include "spec/parse.hpp"
#include "spec/schema.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double micros_since(Clock::time_point start) {
    return std::chrono::duration<double, std::micro>(Clock::now() - start).count();
}

// VmRSS of this process in KiB: what a fork of it (the container init) starts out sharing.
long rss_kib() {
    std::FILE* f = std::fopen("/proc/self/status", "re");
    if (f == nullptr) return -1;
    char line[256];
    long kib = -1;
    while (std::fgets(line, sizeof line, f) != nullptr) {
        if (std::sscanf(line, "VmRSS: %ld", &kib) == 1) break;
    }
    std::fclose(f);
    return kib;
}

template <typename F>
double time_once(F&& f) {
    auto start = Clock::now();
    f();
    return micros_since(start);
}

template <typename F>
double time_average(int n, F&& f) {
    auto start = Clock::now();
    for (int i = 0; i < n; ++i)
        f();
    return micros_since(start) / n;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s CONFIG_JSON\n", argv[0]);
        return 2;
    }
    const std::string text = hull::read_file(argv[1]);
    auto parse_json = [&] {
        rapidjson::Document doc;
        doc.Parse(text.c_str(), text.size());
        return doc;
    };
    const rapidjson::Document doc = parse_json();
    if (doc.HasParseError()) {
        std::fprintf(stderr, "%s: not JSON\n", argv[1]);
        return 1;
    }
    constexpr int kRepeat = 200;
    const double json_us = time_average(kRepeat, parse_json);
    const long rss_before = rss_kib();
    const double first_schema_us =
        time_once([&] { hull::spec::validate_config_schema(doc, "config.json"); });
    const long rss_after = rss_kib();
    const double schema_us =
        time_average(kRepeat, [&] { hull::spec::validate_config_schema(doc, "config.json"); });
    const double parse_config_us =
        time_average(kRepeat, [&] { hull::spec::parse_config(text, "config.json"); });
    std::printf("json_parse_us %.1f\n", json_us);
    std::printf("first_schema_validation_us %.1f\n", first_schema_us);
    std::printf("rss_growth_of_first_validation_kib %ld\n", rss_after - rss_before);
    std::printf("later_schema_validation_us %.1f\n", schema_us);
    std::printf("later_parse_config_us %.1f\n", parse_config_us);
    return 0;
}
