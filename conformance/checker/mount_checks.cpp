#include <cstdlib>

#include <sys/stat.h>

#include "conformance/checker/checks.hpp"

namespace hull::conformance {

static bool is_bind(const std::string& type, const std::vector<std::string>& options) {
    return type == "bind" || has(options, "bind") || has(options, "rbind");
}

static void check_propagation(Context& ctx, const std::string& name, const MountInfo& mount,
                              const std::string& propagation) {
    bool shared = false;
    bool slave = false;
    bool unbindable = false;
    for (const auto& field : mount.optional_fields) {
        shared |= field.rfind("shared:", 0) == 0;
        slave |= field.rfind("master:", 0) == 0;
        unbindable |= field == "unbindable";
    }
    std::string got = shared ? "shared" : slave ? "slave" : unbindable ? "unbindable" : "private";
    if (shared && slave) got = "shared+slave";
    std::string expected = propagation;
    if (expected[0] == 'r') expected = expected.substr(1);
    // Where the host's / is shared (systemd makes it so), the container's tree is a slave of it
    // first, so that nothing propagates back; MS_SHARED then makes a mount that is shared and
    // still a slave (shared-subtree.txt "slave and shared"). It is shared: runc and crun give
    // the same on such a host.
    if (expected == "shared" && got == "shared+slave") got = "shared";
    ctx.tap.expect_eq(name, expected, got);
}

// A cgroup mount may be realised as a tmpfs holding one cgroup mount per v1 hierarchy.
static bool cgroup_mounted(const std::vector<MountInfo>& mounts, const std::string& dest,
                           const MountInfo& top) {
    if (top.fs_type == "cgroup" || top.fs_type == "cgroup2") return true;
    for (const auto& m : mounts)
        if (m.mount_point.rfind(dest + "/", 0) == 0 &&
            (m.fs_type == "cgroup" || m.fs_type == "cgroup2"))
            return true;
    return false;
}

void check_mounts(Context& ctx) {
    const Json* mounts = member(ctx.config, "mounts");
    if (!mounts || !mounts->IsArray()) return;
    for (const auto& m : mounts->GetArray()) {
        const Json* dest_json = member(m, "destination");
        if (!dest_json || !dest_json->IsString()) continue;
        std::string dest = dest_json->GetString();
        while (dest.size() > 1 && dest.back() == '/')
            dest.pop_back();
        const std::string name = "/mounts" + dest;
        const std::string type = member(m, "type") ? json_to_string(*member(m, "type")) : "";
        std::vector<std::string> options;
        if (const Json* opts = member(m, "options"); opts && opts->IsArray())
            for (const auto& o : opts->GetArray())
                options.push_back(json_to_string(o));
        const auto found = find_mount(ctx.mounts, dest);
        if (!found) {
            ctx.tap.fail(name, "nothing mounted at " + dest);
            continue;
        }
        if (type == "cgroup")
            ctx.tap.expect(name + "/type", cgroup_mounted(ctx.mounts, dest, *found),
                           "expected cgroup, got " + found->fs_type);
        else if (!type.empty() && !is_bind(type, options))
            ctx.tap.expect_eq(name + "/type", type, found->fs_type);
        else
            ctx.tap.ok(name);
        if (is_bind(type, options)) {
            const std::string source =
                member(m, "source") ? json_to_string(*member(m, "source")) : "";
            // mountinfo's root is the source's path inside its own filesystem: a suffix of the
            // source.
            const bool matches =
                found->root == "/" || (source.size() >= found->root.size() &&
                                       source.compare(source.size() - found->root.size(),
                                                      found->root.size(), found->root) == 0);
            ctx.tap.expect(name + "/source", matches,
                           "mount root " + found->root + " is not " + source);
        }
        // A v1 cgroup mount is realised as a tmpfs holding one cgroup mount per hierarchy; its
        // flags are judged on those cgroup mounts, where the cgroup files are.
        std::vector<MountInfo> targets{*found};
        if (type == "cgroup" && found->fs_type != "cgroup" && found->fs_type != "cgroup2") {
            targets.clear();
            for (const auto& mi : ctx.mounts)
                if (mi.mount_point.rfind(dest + "/", 0) == 0 &&
                    (mi.fs_type == "cgroup" || mi.fs_type == "cgroup2"))
                    targets.push_back(mi);
        }
        const auto check_flag = [&](const std::string& label, const std::string& flag,
                                    bool want_set) {
            std::string bad;
            for (const auto& t : targets)
                if (has(t.mount_options, flag) != want_set) bad += " " + t.mount_point;
            ctx.tap.expect(name + "/" + label, bad.empty(),
                           flag + (want_set ? " missing on" : " set on") + bad);
        };
        // Later options override earlier ones, as with mount(8).
        std::string rw;
        for (const auto& o : options)
            if (o == "ro" || o == "rw") rw = o;
        if (rw == "ro") check_flag("ro", "ro", true);
        if (rw == "rw") check_flag("rw", "ro", false);
        for (const char* flag : {"nosuid", "nodev", "noexec", "noatime", "nodiratime"})
            if (has(options, flag)) check_flag(flag, flag, true);
        if (has(options, "relatime")) check_flag("relatime", "relatime", true);
        if (has(options, "nosymfollow")) check_flag("nosymfollow", "nosymfollow", true);
        if (has(options, "strictatime")) {
            check_flag("strictatime", "relatime", false);
            check_flag("strictatime/not-noatime", "noatime", false);
        }
        // Recursive variants (mount_setattr AT_RECURSIVE) cover every mount below too.
        static const std::pair<const char*, const char*> recursive[] = {{"rro", "ro"},
                                                                        {"rnosuid", "nosuid"},
                                                                        {"rnodev", "nodev"},
                                                                        {"rnoexec", "noexec"},
                                                                        {"rnoatime", "noatime"}};
        for (const auto& [option, flag] : recursive) {
            if (!has(options, option)) continue;
            std::string bad;
            int count = 0;
            for (const auto& mi : ctx.mounts)
                if (mi.mount_point == dest || mi.mount_point.rfind(dest + "/", 0) == 0) {
                    ++count;
                    if (!has(mi.mount_options, flag)) bad += " " + mi.mount_point;
                }
            ctx.tap.expect(name + "/" + option, bad.empty(),
                           std::string(flag) + " missing on" + bad + " (of " +
                               std::to_string(count) + " mounts)");
        }
        for (const char* flag : {"suid", "dev", "exec"})
            if (has(options, flag)) check_flag(flag, std::string("no") + flag, false);
        for (const auto& o : options)
            if (o == "shared" || o == "rshared" || o == "slave" || o == "rslave" ||
                o == "private" || o == "rprivate" || o == "unbindable" || o == "runbindable")
                check_propagation(ctx, name + "/propagation", *found, o);
        for (const auto& o : options)
            if (o.rfind("mode=", 0) == 0 && type == "tmpfs") {
                struct stat st {};
                stat(dest.c_str(), &st);
                const unsigned long expected = std::strtoul(o.c_str() + 5, nullptr, 8);
                char got[16];
                char want[16];
                std::snprintf(got, sizeof got, "%04o", static_cast<unsigned>(st.st_mode & 07777));
                std::snprintf(want, sizeof want, "%04lo", expected);
                ctx.tap.expect_eq(name + "/mode", want, got);
            }
    }
}

}  // namespace hull::conformance
