#include <cerrno>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "conformance/checker/checks.hpp"

namespace hull::conformance {

static std::string describe(const struct stat& st) {
    const char* kind = S_ISCHR(st.st_mode)    ? "c"
                       : S_ISBLK(st.st_mode)  ? "b"
                       : S_ISFIFO(st.st_mode) ? "p"
                       : S_ISDIR(st.st_mode)  ? "dir"
                       : S_ISLNK(st.st_mode)  ? "symlink"
                                              : "file";
    return std::string(kind) + " " + std::to_string(major(st.st_rdev)) + ":" +
           std::to_string(minor(st.st_rdev));
}

static void check_default_devices(Context& ctx) {
    static const struct {
        const char* path;
        unsigned major;
        unsigned minor;
    } devices[] = {{"/dev/null", 1, 3},   {"/dev/zero", 1, 5},    {"/dev/full", 1, 7},
                   {"/dev/random", 1, 8}, {"/dev/urandom", 1, 9}, {"/dev/tty", 5, 0}};
    for (const auto& d : devices) {
        const std::string name = std::string("/linux/default-devices") + d.path;
        struct stat st {};
        if (stat(d.path, &st) != 0) {
            ctx.tap.fail(name, std::string("stat: ") + errno_name(errno));
            continue;
        }
        ctx.tap.expect_eq(name, "c " + std::to_string(d.major) + ":" + std::to_string(d.minor),
                          describe(st));
    }
    // The runtime must also allow these in the device cgroup, so they must be usable, not just
    // present.
    const int null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
    const bool writable = null_fd >= 0 && write(null_fd, "x", 1) == 1;
    const int err = errno;
    if (null_fd >= 0) close(null_fd);
    ctx.tap.expect("/linux/default-devices/dev/null/write", writable, "write: " + errno_name(err));
    const int zero_fd = open("/dev/zero", O_RDONLY | O_CLOEXEC);
    char byte = 1;
    const bool readable = zero_fd >= 0 && read(zero_fd, &byte, 1) == 1 && byte == 0;
    if (zero_fd >= 0) close(zero_fd);
    ctx.tap.expect("/linux/default-devices/dev/zero/read", readable, "cannot read a zero byte");
    struct stat st {};
    const bool ptmx = lstat("/dev/ptmx", &st) == 0;
    ctx.tap.expect("/linux/default-devices/dev/ptmx", ptmx, "missing");
    static const std::pair<const char*, const char*> links[] = {{"/dev/fd", "/proc/self/fd"},
                                                                {"/dev/stdin", "/proc/self/fd/0"},
                                                                {"/dev/stdout", "/proc/self/fd/1"},
                                                                {"/dev/stderr", "/proc/self/fd/2"}};
    for (const auto& [link, target] : links) {
        char buf[256];
        const ssize_t n = readlink(link, buf, sizeof buf - 1);
        ctx.tap.expect_eq(
            std::string("/linux/default-symlinks") + link, target,
            n < 0 ? "error " + errno_name(errno) : std::string(buf, static_cast<size_t>(n)));
    }
}

// Replays linux.resources.devices like the kernel's device cgroup: the last matching rule wins.
static std::optional<bool> cgroup_allows_read(const Json& config, char type, unsigned maj,
                                              unsigned min) {
    const Json* linux_ = member(config, "linux");
    const Json* resources = linux_ ? member(*linux_, "resources") : nullptr;
    const Json* rules = resources ? member(*resources, "devices") : nullptr;
    if (!rules || !rules->IsArray()) return std::nullopt;
    std::optional<bool> allowed;
    for (const auto& rule : rules->GetArray()) {
        const Json* allow = member(rule, "allow");
        const Json* t = member(rule, "type");
        const Json* ma = member(rule, "major");
        const Json* mi = member(rule, "minor");
        const Json* access = member(rule, "access");
        if (!allow || !allow->IsBool()) continue;
        const std::string rule_type = t ? json_to_string(*t) : "a";
        if (rule_type != "a" && rule_type[0] != type) continue;
        if (ma && ma->IsInt64() && ma->GetInt64() >= 0 &&
            static_cast<unsigned>(ma->GetInt64()) != maj)
            continue;
        if (mi && mi->IsInt64() && mi->GetInt64() >= 0 &&
            static_cast<unsigned>(mi->GetInt64()) != min)
            continue;
        if (access && json_to_string(*access).find('r') == std::string::npos) continue;
        allowed = allow->GetBool();
    }
    return allowed;
}

void check_devices(Context& ctx) {
    check_default_devices(ctx);
    const Json* linux_ = member(ctx.config, "linux");
    const Json* devices = linux_ ? member(*linux_, "devices") : nullptr;
    if (!devices || !devices->IsArray()) return;
    for (const auto& d : devices->GetArray()) {
        const Json* path = member(d, "path");
        if (!path || !path->IsString()) continue;
        const std::string name = std::string("/linux/devices") + path->GetString();
        struct stat st {};
        if (stat(path->GetString(), &st) != 0) {
            ctx.tap.fail(name, std::string("stat: ") + errno_name(errno));
            continue;
        }
        std::string type = member(d, "type") ? json_to_string(*member(d, "type")) : "c";
        if (type == "u") type = "c";
        const std::string major_minor = type == "p" ? "0:0"
                                                    : json_to_string(*member(d, "major")) + ":" +
                                                          json_to_string(*member(d, "minor"));
        ctx.tap.expect_eq(name, type + " " + major_minor, describe(st));
        if (const Json* mode = member(d, "fileMode"); mode && mode->IsUint()) {
            char want[16];
            char got[16];
            std::snprintf(want, sizeof want, "%04o", mode->GetUint() & 07777);
            std::snprintf(got, sizeof got, "%04o", static_cast<unsigned>(st.st_mode & 07777));
            ctx.tap.expect_eq(name + "/fileMode", want, got);
        }
        if (const Json* uid = member(d, "uid"))
            ctx.tap.expect_eq(name + "/uid", json_to_string(*uid), std::to_string(st.st_uid));
        if (const Json* gid = member(d, "gid"))
            ctx.tap.expect_eq(name + "/gid", json_to_string(*gid), std::to_string(st.st_gid));
        // Only memory devices and the local/experimental majors are probed: opening anything
        // else could have side effects. The device cgroup is checked before any driver runs, so
        // a denied open is EPERM and an allowed one is anything else (ENXIO without a driver).
        const unsigned dev_major = major(st.st_rdev);
        // Default devices (1:3 null ... 1:9 urandom) are always allowed whatever the rules say.
        const unsigned dev_minor = minor(st.st_rdev);
        const bool default_device = dev_major == 1 && dev_minor >= 3 && dev_minor <= 9;
        if (S_ISCHR(st.st_mode) && !default_device &&
            (dev_major == 1 || (dev_major >= 240 && dev_major <= 254))) {
            const auto allowed = cgroup_allows_read(ctx.config, 'c', dev_major, minor(st.st_rdev));
            if (allowed) {
                const int fd = open(path->GetString(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
                const int err = errno;
                if (fd >= 0) close(fd);
                const std::string got = fd >= 0 || err != EPERM ? "allowed" : "EPERM";
                const std::string want = *allowed ? "allowed" : "EPERM";
                ctx.tap.expect(name + "/cgroup-access", got == want,
                               "expected " + want + ", got " + got +
                                   (fd >= 0 ? "" : " (open: " + errno_name(err) + ")"));
            }
        }
    }
}

}  // namespace hull::conformance
