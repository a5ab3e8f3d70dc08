#include "conformance/checker/util.hpp"

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace hull::conformance {

std::optional<std::string> read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::string trim(const std::string& text) {
    const auto begin = text.find_first_not_of(" \t\r\n");
    if (begin == std::string::npos) return "";
    const auto end = text.find_last_not_of(" \t\r\n");
    return text.substr(begin, end - begin + 1);
}

std::vector<std::string> split(const std::string& text, char sep) {
    std::vector<std::string> parts;
    std::string current;
    for (char c : text) {
        if (c == sep) {
            parts.push_back(current);
            current.clear();
        } else {
            current += c;
        }
    }
    parts.push_back(current);
    return parts;
}

std::string errno_name(int err) {
    switch (err) {
        case 0:
            return "success";
        case EPERM:
            return "EPERM";
        case ENOENT:
            return "ENOENT";
        case EACCES:
            return "EACCES";
        case EROFS:
            return "EROFS";
        case EINVAL:
            return "EINVAL";
        case ENOSYS:
            return "ENOSYS";
        default:
            return "errno " + std::to_string(err) + " (" + std::strerror(err) + ")";
    }
}

// mountinfo escapes space, tab, newline and backslash as octal.
static std::string unescape(const std::string& field) {
    std::string out;
    for (size_t i = 0; i < field.size(); ++i) {
        if (field[i] == '\\' && i + 3 < field.size()) {
            const std::string octal = field.substr(i + 1, 3);
            out += static_cast<char>(std::stoi(octal, nullptr, 8));
            i += 3;
        } else {
            out += field[i];
        }
    }
    return out;
}

std::vector<MountInfo> read_mountinfo() {
    std::vector<MountInfo> mounts;
    const auto text = read_text("/proc/self/mountinfo");
    if (!text) return mounts;
    for (const auto& line : split(*text, '\n')) {
        if (line.empty()) continue;
        const auto fields = split(line, ' ');
        if (fields.size() < 10) continue;
        MountInfo info;
        info.root = unescape(fields[3]);
        info.mount_point = unescape(fields[4]);
        info.mount_options = split(fields[5], ',');
        size_t i = 6;
        for (; i < fields.size() && fields[i] != "-"; ++i)
            info.optional_fields.push_back(fields[i]);
        if (i + 2 >= fields.size()) continue;
        info.fs_type = fields[i + 1];
        info.source = unescape(fields[i + 2]);
        if (i + 3 < fields.size()) info.super_options = split(fields[i + 3], ',');
        mounts.push_back(std::move(info));
    }
    return mounts;
}

std::optional<MountInfo> find_mount(const std::vector<MountInfo>& mounts, const std::string& path) {
    std::optional<MountInfo> found;
    for (const auto& mount : mounts)
        if (mount.mount_point == path) found = mount;
    return found;
}

bool has(const std::vector<std::string>& list, const std::string& item) {
    for (const auto& entry : list)
        if (entry == item) return true;
    return false;
}

static constexpr std::array<const char*, 41> kCapabilities = {"CAP_CHOWN",
                                                              "CAP_DAC_OVERRIDE",
                                                              "CAP_DAC_READ_SEARCH",
                                                              "CAP_FOWNER",
                                                              "CAP_FSETID",
                                                              "CAP_KILL",
                                                              "CAP_SETGID",
                                                              "CAP_SETUID",
                                                              "CAP_SETPCAP",
                                                              "CAP_LINUX_IMMUTABLE",
                                                              "CAP_NET_BIND_SERVICE",
                                                              "CAP_NET_BROADCAST",
                                                              "CAP_NET_ADMIN",
                                                              "CAP_NET_RAW",
                                                              "CAP_IPC_LOCK",
                                                              "CAP_IPC_OWNER",
                                                              "CAP_SYS_MODULE",
                                                              "CAP_SYS_RAWIO",
                                                              "CAP_SYS_CHROOT",
                                                              "CAP_SYS_PTRACE",
                                                              "CAP_SYS_PACCT",
                                                              "CAP_SYS_ADMIN",
                                                              "CAP_SYS_BOOT",
                                                              "CAP_SYS_NICE",
                                                              "CAP_SYS_RESOURCE",
                                                              "CAP_SYS_TIME",
                                                              "CAP_SYS_TTY_CONFIG",
                                                              "CAP_MKNOD",
                                                              "CAP_LEASE",
                                                              "CAP_AUDIT_WRITE",
                                                              "CAP_AUDIT_CONTROL",
                                                              "CAP_SETFCAP",
                                                              "CAP_MAC_OVERRIDE",
                                                              "CAP_MAC_ADMIN",
                                                              "CAP_SYSLOG",
                                                              "CAP_WAKE_ALARM",
                                                              "CAP_BLOCK_SUSPEND",
                                                              "CAP_AUDIT_READ",
                                                              "CAP_PERFMON",
                                                              "CAP_BPF",
                                                              "CAP_CHECKPOINT_RESTORE"};

int capability_number(const std::string& name) {
    for (size_t i = 0; i < kCapabilities.size(); ++i)
        if (name == kCapabilities[i]) return static_cast<int>(i);
    return -1;
}

std::string capability_name(int number) {
    if (number >= 0 && static_cast<size_t>(number) < kCapabilities.size())
        return kCapabilities[static_cast<size_t>(number)];
    return "CAP_" + std::to_string(number);
}

std::optional<std::string> HostFacts::get(const std::string& key) const {
    for (const auto& [k, v] : entries)
        if (k == key) return v;
    return std::nullopt;
}

HostFacts read_host_facts(const std::string& path) {
    HostFacts facts;
    const auto text = read_text(path);
    if (!text) return facts;
    for (const auto& line : split(*text, '\n')) {
        const auto space = line.find(' ');
        if (space == std::string::npos) continue;
        facts.entries.emplace_back(line.substr(0, space), line.substr(space + 1));
    }
    return facts;
}

const Json* member(const Json& object, const char* name) {
    if (!object.IsObject()) return nullptr;
    const auto it = object.FindMember(name);
    if (it == object.MemberEnd() || it->value.IsNull()) return nullptr;
    return &it->value;
}

std::string json_to_string(const Json& value) {
    if (value.IsString()) return value.GetString();
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    value.Accept(writer);
    return buffer.GetString();
}

}  // namespace hull::conformance
