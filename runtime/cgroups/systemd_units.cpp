#include "runtime/cgroups/systemd_units.hpp"

#include <algorithm>
#include <cctype>

#include "base/error.hpp"
#include "runtime/cgroups/convert.hpp"

namespace hull::cgroups {

namespace {

// systemd's unit name alphabet (unit-name.c VALID_CHARS); ':' cannot occur, it splits the path.
bool valid_unit_chars(const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '\\' || c == '@';
    });
}

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

constexpr std::size_t kUnitNameMax = 255;  // systemd's UNIT_NAME_MAX

}  // namespace

std::string expand_slice(const std::string& slice) {
    const std::string suffix = ".slice";
    if (!ends_with(slice, suffix) || slice.size() == suffix.size())
        throw Error("slice \"" + slice + "\": not a slice name (name.slice)");
    if (slice.find('/') != std::string::npos)
        throw Error("slice \"" + slice +
                    "\": must not contain \"/\" (write a-b.slice for a.slice/a-b.slice)");
    if (!valid_unit_chars(slice) || slice.size() > kUnitNameMax)
        throw Error("slice \"" + slice + "\": not a valid systemd unit name");
    if (slice == "-.slice") return "/";
    std::string stem = slice.substr(0, slice.size() - suffix.size());
    std::string out;
    std::string prefix;
    std::size_t start = 0;
    for (;;) {
        std::size_t dash = stem.find('-', start);
        std::string part =
            stem.substr(start, dash == std::string::npos ? std::string::npos : dash - start);
        if (part.empty()) throw Error("slice \"" + slice + "\": empty part between dashes");
        prefix += (prefix.empty() ? "" : "-") + part;
        out += "/" + prefix + suffix;
        if (dash == std::string::npos) break;
        start = dash + 1;
    }
    return out;
}

SystemdUnit parse_systemd_cgroups_path(const std::string& cgroups_path,
                                       const std::string& container_id) {
    std::string path = cgroups_path.empty() ? ":hull:" + container_id : cgroups_path;
    auto bad = [&](const std::string& why) {
        return Error("cgroupsPath \"" + path + "\": " + why);
    };
    if (std::count(path.begin(), path.end(), ':') != 2)
        throw bad("the systemd cgroup driver takes \"slice:prefix:name\"");
    std::size_t c1 = path.find(':');
    std::size_t c2 = path.find(':', c1 + 1);
    std::string slice = path.substr(0, c1);
    std::string prefix = path.substr(c1 + 1, c2 - c1 - 1);
    std::string name = path.substr(c2 + 1);
    if (name.empty()) throw bad("the name (after the second ':') is empty");
    if (!valid_unit_chars(prefix) || !valid_unit_chars(name))
        throw bad("prefix and name may hold only letters, digits and \"-_.@\\\"");

    SystemdUnit u;
    u.slice = slice.empty() ? "system.slice" : slice;
    try {
        u.slice_path = expand_slice(u.slice);
    } catch (const Error& e) {
        throw bad(e.what());
    }
    if (ends_with(name, ".slice")) {
        u.unit = name;
    } else {
        u.unit = (prefix.empty() ? "" : prefix + "-") + name + ".scope";
    }
    if (u.unit.size() > kUnitNameMax) throw bad("unit name \"" + u.unit + "\" is too long");
    u.cgroup_path = (u.slice_path == "/" ? "" : u.slice_path) + "/" + u.unit;
    return u;
}

std::vector<std::uint8_t> cpu_list_mask(const std::string& list, const std::string& field) {
    std::vector<std::uint8_t> mask;
    auto bad = [&] { return Error(field + ": \"" + list + "\" is not a list like 0-3,8"); };
    auto number = [&](const std::string& s) {
        if (s.empty() || s.size() > 5 ||
            !std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); }))
            throw bad();
        return static_cast<unsigned>(std::stoul(s));
    };
    std::size_t start = 0;
    while (start <= list.size()) {
        std::size_t comma = list.find(',', start);
        std::string item =
            list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        std::size_t dash = item.find('-');
        unsigned lo = number(item.substr(0, dash));
        unsigned hi = dash == std::string::npos ? lo : number(item.substr(dash + 1));
        if (hi < lo) throw bad();
        if (mask.size() < hi / 8 + 1) mask.resize(hi / 8 + 1, 0);
        for (unsigned n = lo; n <= hi; ++n)
            mask[n / 8] |= static_cast<std::uint8_t>(1u << (n % 8));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return mask;
}

namespace {

// memory.limit and friends: -1 is infinity; other negatives are an error naming the field.
std::uint64_t memory_bytes(std::int64_t value, const std::string& field) {
    std::string v = v2_memory_value(value, field);  // validates
    return v == "max" ? kUnitInfinity : static_cast<std::uint64_t>(value);
}

}  // namespace

std::vector<UnitProperty> resource_properties(const spec::Resources& r) {
    std::vector<UnitProperty> props;
    if (r.memory) {
        const std::string F = "/linux/resources/memory/";
        const auto& m = *r.memory;
        if (m.limit) props.push_back({"MemoryMax", memory_bytes(*m.limit, F + "limit")});
        if (m.reservation)
            props.push_back({"MemoryLow", memory_bytes(*m.reservation, F + "reservation")});
        if (m.swap) {
            auto swap_max = v2_swap_max(m.limit, *m.swap);
            if (swap_max) {
                std::uint64_t v = *swap_max == "max" ? kUnitInfinity : std::stoull(*swap_max);
                props.push_back({"MemorySwapMax", v});
            }
        }
    }
    if (r.cpu) {
        const std::string F = "/linux/resources/cpu/";
        const auto& c = *r.cpu;
        if (c.shares && *c.shares != 0) props.push_back({"CPUWeight", shares_to_weight(*c.shares)});
        if (c.quota || c.period) {
            std::uint64_t period = c.period.value_or(100000);
            if (period == 0) throw Error(F + "period: must be positive");
            if (c.period) props.push_back({"CPUQuotaPeriodUSec", period});
            if (c.quota) {
                if (*c.quota < 0) {
                    props.push_back({"CPUQuotaPerSecUSec", kUnitInfinity});
                } else if (*c.quota == 0) {
                    throw Error(F + "quota: must be positive or -1");
                } else {
                    // systemd keeps the quota per second of time and writes cpu.max as
                    // per_sec * period / 1s: round up so that this gives back at least quota.
                    std::uint64_t q = static_cast<std::uint64_t>(*c.quota);
                    props.push_back({"CPUQuotaPerSecUSec", (q * 1000000 + period - 1) / period});
                }
            }
        }
        if (!c.cpus.empty()) props.push_back({"AllowedCPUs", cpu_list_mask(c.cpus, F + "cpus")});
        if (!c.mems.empty())
            props.push_back({"AllowedMemoryNodes", cpu_list_mask(c.mems, F + "mems")});
    }
    if (r.pids && r.pids->limit != 0) {
        props.push_back({"TasksMax", r.pids->limit < 0
                                         ? kUnitInfinity
                                         : static_cast<std::uint64_t>(r.pids->limit)});
    }
    if (r.block_io && r.block_io->weight)
        props.push_back({"IOWeight", blkio_weight_to_io_weight(*r.block_io->weight)});
    return props;
}

const char* property_signature(const UnitProperty::Value& value) {
    switch (value.index()) {
        case 0:
            return "b";
        case 1:
            return "t";
        case 2:
            return "s";
        case 3:
            return "au";
        default:
            return "ay";
    }
}

}  // namespace hull::cgroups
