#include "runtime/cgroups/convert.hpp"

#include <dirent.h>

#include <algorithm>
#include <memory>

#include "base/error.hpp"

namespace hull::cgroups {

std::uint64_t shares_to_weight(std::uint64_t shares) {
    shares = std::clamp<std::uint64_t>(shares, 2, 262144);
    return 1 + ((shares - 2) * 9999) / 262142;
}

std::uint64_t weight_to_shares(std::uint64_t weight) {
    weight = std::clamp<std::uint64_t>(weight, 1, 10000);
    return 2 + ((weight - 1) * 262142) / 9999;
}

std::uint64_t blkio_weight_to_io_weight(std::uint64_t weight) {
    if (weight < 10 || weight > 1000) {
        throw Error("blkio weight " + std::to_string(weight) + " is outside 10..1000");
    }
    return 1 + ((weight - 10) * 9999) / 990;
}

std::uint64_t io_weight_to_blkio_weight(std::uint64_t weight) {
    if (weight < 1 || weight > 10000) {
        throw Error("io weight " + std::to_string(weight) + " is outside 1..10000");
    }
    return 10 + ((weight - 1) * 990) / 9999;
}

std::string v1_memory_value(std::int64_t value, const std::string& field) {
    if (value < -1) throw Error(field + ": " + std::to_string(value) + " is not a valid limit");
    return std::to_string(value);
}

std::string v2_memory_value(std::int64_t value, const std::string& field) {
    if (value == -1) return "max";
    if (value < 0) throw Error(field + ": " + std::to_string(value) + " is not a valid limit");
    return std::to_string(value);
}

std::optional<std::string> v2_swap_max(std::optional<std::int64_t> limit, std::int64_t swap) {
    const std::string field = "/linux/resources/memory/swap";
    if (swap == 0) return std::nullopt;
    if (swap == -1) return "max";
    if (swap < 0) throw Error(field + ": " + std::to_string(swap) + " is not a valid limit");
    if (!limit || *limit == 0) {
        throw Error(field + ": cgroup v2 needs memory.limit to convert memory+swap to swap");
    }
    if (*limit == -1) {
        throw Error(field + ": a limited memory+swap with unlimited memory cannot be expressed");
    }
    if (swap < *limit) {
        throw Error(field + ": memory+swap " + std::to_string(swap) + " is below memory limit " +
                    std::to_string(*limit));
    }
    return std::to_string(swap - *limit);
}

std::string cpu_max(std::optional<std::int64_t> quota, std::optional<std::uint64_t> period) {
    std::string q = (!quota || *quota < 0) ? "max" : std::to_string(*quota);
    std::uint64_t p = (period && *period > 0) ? *period : 100000;
    return q + " " + std::to_string(p);
}

std::string pids_max(std::int64_t limit) {
    return limit < 0 ? "max" : std::to_string(limit);
}

std::uint64_t page_size_bytes(const std::string& page_size) {
    // <digits, no leading zero, at most 10><K|M|G|T>B
    size_t digits = 0;
    while (digits < page_size.size() && page_size[digits] >= '0' && page_size[digits] <= '9') {
        ++digits;
    }
    const std::string units = "KMGT";
    bool ok = digits >= 1 && digits <= 10 && page_size[0] != '0' &&
              page_size.size() == digits + 2 &&
              units.find(page_size[digits]) != std::string::npos && page_size[digits + 1] == 'B';
    if (!ok) {
        throw Error("/linux/resources/hugepageLimits: pageSize \"" + page_size +
                    "\" is not of the form <number><K|M|G>B");
    }
    std::uint64_t n = std::stoull(page_size.substr(0, digits));
    return n << (units.find(page_size[digits]) * 10 + 10);
}

std::string hugetlb_v1_limit_file(const std::string& page_size) {
    page_size_bytes(page_size);
    return "hugetlb." + page_size + ".limit_in_bytes";
}
std::string hugetlb_v1_rsvd_file(const std::string& page_size) {
    page_size_bytes(page_size);
    return "hugetlb." + page_size + ".rsvd.limit_in_bytes";
}
std::string hugetlb_v2_max_file(const std::string& page_size) {
    page_size_bytes(page_size);
    return "hugetlb." + page_size + ".max";
}
std::string hugetlb_v2_rsvd_file(const std::string& page_size) {
    page_size_bytes(page_size);
    return "hugetlb." + page_size + ".rsvd.max";
}

std::string device_rule_v1(const spec::DeviceCgroupRule& rule) {
    const std::string field = "/linux/resources/devices";
    std::string type = rule.type.empty() ? "a" : rule.type;
    if (type != "a" && type != "c" && type != "b") {
        throw Error(field + ": type \"" + rule.type + "\" is not one of a, c, b");
    }
    std::string access = rule.access.empty() ? "rwm" : rule.access;
    for (char c : access) {
        if (c != 'r' && c != 'w' && c != 'm') {
            throw Error(field + ": access \"" + rule.access + "\" is not a subset of rwm");
        }
    }
    auto num = [&](const std::optional<std::int64_t>& v) -> std::string {
        if (!v || *v == -1) return "*";
        if (*v < 0) throw Error(field + ": device number " + std::to_string(*v) + " is negative");
        return std::to_string(*v);
    };
    if (type == "a") return "a *:* " + access;
    return type + " " + num(rule.major) + ":" + num(rule.minor) + " " + access;
}

std::string device_value_line(std::int64_t major, std::int64_t minor, std::uint64_t value) {
    return std::to_string(major) + ":" + std::to_string(minor) + " " + std::to_string(value);
}

std::string rdma_max_line(const std::string& device, const spec::RdmaLimit& limit) {
    const std::string field = "/linux/resources/rdma/" + device;
    if (device.empty() || device.find_first_of(" \t\n/") != std::string::npos) {
        throw Error(field + ": not a valid device name");
    }
    if (!limit.hca_handles && !limit.hca_objects) {
        throw Error(field + ": needs hcaHandles or hcaObjects");
    }
    std::string line = device;
    if (limit.hca_handles) line += " hca_handle=" + std::to_string(*limit.hca_handles);
    if (limit.hca_objects) line += " hca_object=" + std::to_string(*limit.hca_objects);
    return line;
}

std::string ifpriomap_line(const spec::NetworkPriority& prio) {
    if (prio.name.empty() || prio.name.find_first_of(" \t\n/") != std::string::npos) {
        throw Error("/linux/resources/network/priorities: \"" + prio.name +
                    "\" is not an interface name");
    }
    return prio.name + " " + std::to_string(prio.priority);
}

void validate_unified_key(const std::string& key) {
    const std::string field = "/linux/resources/unified/" + key;
    if (key.empty() || key == "." || key == "..") throw Error(field + ": not a file name");
    if (key.find('/') != std::string::npos) throw Error(field + ": must not contain '/'");
    if (key.find("..") != std::string::npos) throw Error(field + ": must not contain \"..\"");
    if (key.find('.') == std::string::npos) {
        throw Error(field + ": not a cgroup file name (<controller>.<file>)");
    }
    // Moving processes or removing the cgroup is the runtime's job, not a resource setting.
    if (key == "cgroup.procs" || key == "cgroup.threads" || key == "cgroup.kill" ||
        key == "cgroup.subtree_control" || key == "cgroup.freeze") {
        throw Error(field + ": is managed by the runtime and cannot be set");
    }
}

std::string unified_key_controller(const std::string& key) {
    return key.substr(0, key.find('.'));
}

}  // namespace hull::cgroups

namespace hull::cgroups {

std::string page_size_from_kb(std::uint64_t kb) {
    const char* units[] = {"KB", "MB", "GB", "TB"};
    int u = 0;
    while (u < 3 && kb >= 1024 && kb % 1024 == 0) {
        kb /= 1024;
        ++u;
    }
    return std::to_string(kb) + units[u];
}

std::vector<std::string> host_page_sizes() {
    std::vector<std::string> out;
    DIR* d = ::opendir("/sys/kernel/mm/hugepages");
    if (!d) return out;
    std::unique_ptr<DIR, int (*)(DIR*)> owned(d, ::closedir);
    while (dirent* e = ::readdir(d)) {
        std::string name = e->d_name;
        const std::string prefix = "hugepages-";
        if (name.rfind(prefix, 0) != 0 || name.size() < prefix.size() + 3) continue;
        if (name.substr(name.size() - 2) != "kB") continue;
        try {
            out.push_back(page_size_from_kb(
                std::stoull(name.substr(prefix.size(), name.size() - prefix.size() - 2))));
        } catch (const std::exception&) {
        }
    }
    return out;
}

}  // namespace hull::cgroups
