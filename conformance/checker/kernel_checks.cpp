#include <sys/personality.h>
#include <sys/utsname.h>

#include "conformance/checker/checks.hpp"

namespace hull::conformance {

static std::string collapse_spaces(const std::string& text) {
    std::string out;
    bool space = false;
    for (char c : trim(text)) {
        if (c == ' ' || c == '\t' || c == '\n') {
            space = true;
            continue;
        }
        if (space && !out.empty()) out += ' ';
        space = false;
        out += c;
    }
    return out;
}

static void check_time_offsets(Context& ctx, const Json& offsets) {
    const auto text = read_text("/proc/self/timens_offsets");
    for (const char* clock : {"monotonic", "boottime"}) {
        const Json* entry = member(offsets, clock);
        if (!entry) continue;
        const std::string name = std::string("/linux/timeOffsets/") + clock;
        if (!text) {
            ctx.tap.fail(name, "no /proc/self/timens_offsets");
            continue;
        }
        const Json* secs = member(*entry, "secs");
        const Json* nanos = member(*entry, "nanosecs");
        const std::string expected =
            (secs ? json_to_string(*secs) : "0") + " " + (nanos ? json_to_string(*nanos) : "0");
        std::string got = "absent";
        for (const auto& line : split(*text, '\n')) {
            const auto words = split(collapse_spaces(line), ' ');
            if (words.size() == 3 && words[0] == clock) got = words[1] + " " + words[2];
        }
        ctx.tap.expect_eq(name, expected, got);
    }
}

void check_kernel(Context& ctx) {
    utsname uts{};
    uname(&uts);
    if (const Json* hostname = member(ctx.config, "hostname"); hostname && hostname->IsString())
        ctx.tap.expect_eq("/hostname", hostname->GetString(), uts.nodename);
    if (const Json* domain = member(ctx.config, "domainname"); domain && domain->IsString())
        ctx.tap.expect_eq("/domainname", domain->GetString(), uts.domainname);
    const Json* linux_ = member(ctx.config, "linux");
    if (!linux_) return;
    if (const Json* sysctl = member(*linux_, "sysctl"); sysctl && sysctl->IsObject()) {
        for (const auto& entry : sysctl->GetObject()) {
            std::string key = entry.name.GetString();
            std::string path = "/proc/sys/";
            for (char c : key)
                path += c == '.' ? '/' : c;
            const auto got = read_text(path);
            ctx.tap.expect_eq("/linux/sysctl/" + key, collapse_spaces(json_to_string(entry.value)),
                              got ? collapse_spaces(*got) : "unreadable");
        }
    }
    if (const Json* pers = member(*linux_, "personality")) {
        const Json* domain = member(*pers, "domain");
        const std::string want = domain ? json_to_string(*domain) : "LINUX";
        const int current = personality(0xffffffff) & PER_MASK;
        const std::string got = current == PER_LINUX     ? "LINUX"
                                : current == PER_LINUX32 ? "LINUX32"
                                                         : std::to_string(current);
        ctx.tap.expect_eq("/linux/personality/domain", want, got);
    }
    if (const Json* offsets = member(*linux_, "timeOffsets")) check_time_offsets(ctx, *offsets);
}

}  // namespace hull::conformance
