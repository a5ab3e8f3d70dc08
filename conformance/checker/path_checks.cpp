#include <cerrno>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "conformance/checker/checks.hpp"

namespace hull::conformance {

static std::vector<std::string> string_list(const Json& object, const char* field) {
    std::vector<std::string> out;
    if (const Json* list = member(object, field); list && list->IsArray())
        for (const auto& item : list->GetArray())
            out.push_back(json_to_string(item));
    return out;
}

static void check_masked(Context& ctx, const std::string& path) {
    const std::string name = "/linux/maskedPaths" + path;
    struct stat st {};
    if (lstat(path.c_str(), &st) != 0) {
        ctx.tap.skip(name, "absent in this container");
        return;
    }
    if (S_ISDIR(st.st_mode)) {
        DIR* dir = opendir(path.c_str());
        if (!dir) {
            ctx.tap.ok(name);  // an unreadable directory hides its contents too
            return;
        }
        std::string entries;
        while (const dirent* e = readdir(dir))
            if (std::string(e->d_name) != "." && std::string(e->d_name) != "..")
                entries += std::string(" ") + e->d_name;
        closedir(dir);
        ctx.tap.expect(name, entries.empty(), "directory lists:" + entries);
        return;
    }
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        ctx.tap.ok(name);  // unreadable counts as masked
        return;
    }
    char buf[64];
    const ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    ctx.tap.expect(name, n <= 0, "read returned " + std::to_string(n) + " bytes");
}

static void check_readonly(Context& ctx, const std::string& path) {
    const std::string name = "/linux/readonlyPaths" + path;
    struct stat st {};
    if (lstat(path.c_str(), &st) != 0) {
        ctx.tap.skip(name, "absent in this container");
        return;
    }
    struct statvfs vfs {};
    const bool readonly_mount = statvfs(path.c_str(), &vfs) == 0 && (vfs.f_flag & ST_RDONLY) != 0;
    if (S_ISREG(st.st_mode)) {
        // The mount says it; opening for writing must say EROFS too, unless a permission check
        // comes first (in a user namespace the file's owner is unmapped, and some kernels,
        // Debian's 6.1 among them, answer EACCES before looking at the mount).
        const int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
        const int err = errno;
        if (fd >= 0) close(fd);
        const bool refused = fd < 0 && (err == EROFS || (err == EACCES && readonly_mount));
        ctx.tap.expect(name, readonly_mount && refused,
                       fd >= 0 ? "opened for writing"
                               : errno_name(err) + (readonly_mount ? "" : ", mount is writable"));
        return;
    }
    ctx.tap.expect(name, readonly_mount, "mount is writable");
}

static std::string root_propagation(const MountInfo& root) {
    for (const auto& field : root.optional_fields) {
        if (field.rfind("shared:", 0) == 0) return "shared";
        if (field.rfind("master:", 0) == 0) return "slave";
        if (field == "unbindable") return "unbindable";
    }
    return "private";
}

void check_paths(Context& ctx) {
    if (const Json* root = member(ctx.config, "root")) {
        const Json* ro = member(*root, "readonly");
        const bool want = ro && ro->IsBool() && ro->GetBool();
        struct statvfs vfs {};
        statvfs("/", &vfs);
        ctx.tap.expect_eq("/root/readonly", want ? "ro" : "rw",
                          (vfs.f_flag & ST_RDONLY) ? "ro" : "rw");
        if (want) {
            const int fd = open("/.conformance-probe", O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
            const int err = errno;
            if (fd >= 0) {
                close(fd);
                unlink("/.conformance-probe");
            }
            ctx.tap.expect_eq("/root/readonly/write", "EROFS",
                              fd >= 0 ? "created a file" : errno_name(err));
        }
    }
    const Json* linux_ = member(ctx.config, "linux");
    if (!linux_) return;
    for (const auto& path : string_list(*linux_, "maskedPaths"))
        check_masked(ctx, path);
    for (const auto& path : string_list(*linux_, "readonlyPaths"))
        check_readonly(ctx, path);
    if (const Json* prop = member(*linux_, "rootfsPropagation"); prop && prop->IsString()) {
        const auto root = find_mount(ctx.mounts, "/");
        std::string expected = prop->GetString();
        if (expected[0] == 'r') expected = expected.substr(1);
        ctx.tap.expect_eq("/linux/rootfsPropagation", expected,
                          root ? root_propagation(*root) : "no root mount");
    }
}

}  // namespace hull::conformance
