#include "bundle/debian_template.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <iostream>
#include <sstream>

#include "base/error.hpp"
#include "base/file.hpp"
#include "base/unique_fd.hpp"
#include "bundle/template_util.hpp"

namespace hull::bundle {

namespace {

constexpr const char* kFallbackMirror = "http://deb.debian.org/debian";

// Bump when adjust_for_container() changes: cached trees made by an older version get a
// different key and are rebuilt instead of reused.
constexpr const char* kAdjustmentsVersion = "1";

bool is_main_archive(std::string uri) {
    while (!uri.empty() && uri.back() == '/')
        uri.pop_back();
    size_t scheme = uri.find("://");
    if (scheme == std::string::npos) return false;
    std::string proto = uri.substr(0, scheme);
    if (proto != "http" && proto != "https" && proto != "ftp" && proto != "file") return false;
    size_t slash = uri.rfind('/');
    return slash > scheme + 2 && uri.substr(slash + 1) == "debian";
}

std::string trim(const std::string& s) {
    size_t b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return "";
    size_t e = s.find_last_not_of(" \t\r");
    return s.substr(b, e - b + 1);
}

std::vector<std::string> words(const std::string& s) {
    std::vector<std::string> out;
    std::istringstream in(s);
    for (std::string w; in >> w;)
        out.push_back(w);
    return out;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

// What a Debian system needs to boot to "running" in a container, done once on the cached
// tree. Per-bundle files (hostname, hosts) are written after the copy.
void adjust_for_container(const std::string& root) {
    // Empty, not absent: systemd then treats the system as provisioned, generates a machine id
    // at every boot (from the runtime's container_uuid when it sets one) and keeps it on a
    // tmpfs over this file, instead of running first-boot units. Every bundle copied from the
    // cache would otherwise share debootstrap's id.
    write_file(root + "/etc/machine-id", "", 0444);
    std::string dbus_id = root + "/var/lib/dbus/machine-id";
    ::unlink(dbus_id.c_str());
    if (::symlink("/etc/machine-id", dbus_id.c_str()) < 0 && errno != ENOENT)
        throw_errno("symlink " + dbus_id);

    // root logs in on the console without a password (login's PAM stack has nullok): the
    // console is reachable only through the runtime. No other account has a password.
    std::string shadow_path = root + "/etc/shadow";
    std::string shadow = read_file(shadow_path);
    if (shadow.rfind("root:", 0) != 0) throw Error(shadow_path + ": no root entry first");
    size_t field_end = shadow.find(':', 5);
    shadow.replace(5, field_end - 5, "");
    write_file(shadow_path, shadow, 0640);
}

}  // namespace

std::string debian_arch() {
    struct utsname u {};
    if (::uname(&u) < 0) throw_errno("uname");
    std::string m = u.machine;
    if (m == "x86_64") return "amd64";
    if (m == "aarch64") return "arm64";
    if (m == "i386" || m == "i486" || m == "i586" || m == "i686") return "i386";
    if (m.rfind("armv7", 0) == 0) return "armhf";
    if (m == "ppc64le") return "ppc64el";
    if (m == "s390x" || m == "riscv64" || m == "mips64el") return m;
    throw Error("no Debian architecture known for machine \"" + m + "\"");
}

std::string debian_cache_key(const DebianRecipe& recipe) {
    std::vector<std::string> include = recipe.include;
    std::sort(include.begin(), include.end());
    include.erase(std::unique(include.begin(), include.end()), include.end());
    std::string arch = recipe.arch.empty() ? debian_arch() : recipe.arch;
    std::string text = "suite=" + recipe.suite + "\nvariant=" + recipe.variant + "\narch=" + arch +
                       "\nadjustments=" + kAdjustmentsVersion + "\ninclude=";
    for (const auto& p : include)
        text += p + ",";
    return "debian-" + recipe.suite + "-" + recipe.variant + "-" + arch + "-" + fnv1a_hex(text);
}

std::string main_archive_in_list(const std::string& text) {
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        line = trim(line.substr(0, line.find('#')));
        // deb [ option=value ... ] uri suite [component ...]
        std::vector<std::string> w = words(line);
        if (w.empty() || w[0] != "deb") continue;
        size_t i = 1;
        if (i < w.size() && w[i].front() == '[') {
            while (i < w.size() && w[i].back() != ']')
                ++i;
            ++i;
        }
        if (i < w.size() && is_main_archive(w[i])) return w[i];
    }
    return "";
}

std::string main_archive_in_sources(const std::string& text) {
    // deb822 stanzas, separated by blank lines; a field may continue on indented lines.
    std::istringstream lines(text);
    std::string types, uris, enabled, last_field;
    auto finish = [&]() -> std::string {
        std::string found;
        std::vector<std::string> t = words(types);
        bool deb = std::find(t.begin(), t.end(), "deb") != t.end();
        if (deb && lower(trim(enabled)) != "no") {
            for (const auto& uri : words(uris))
                if (is_main_archive(uri)) {
                    found = uri;
                    break;
                }
        }
        types.clear();
        uris.clear();
        enabled.clear();
        last_field.clear();
        return found;
    };
    for (std::string line; std::getline(lines, line);) {
        if (!line.empty() && line[0] == '#') continue;
        if (trim(line).empty()) {
            if (std::string f = finish(); !f.empty()) return f;
            continue;
        }
        if (line[0] == ' ' || line[0] == '\t') {
            if (last_field == "uris") uris += " " + trim(line);
            if (last_field == "types") types += " " + trim(line);
            continue;
        }
        size_t colon = line.find(':');
        if (colon == std::string::npos) continue;
        last_field = lower(trim(line.substr(0, colon)));
        std::string value = trim(line.substr(colon + 1));
        if (last_field == "types") types = value;
        if (last_field == "uris") uris = value;
        if (last_field == "enabled") enabled = value;
    }
    return finish();
}

std::string host_debian_mirror(const std::string& etc_apt) {
    auto readable = [](const std::string& path) { return ::access(path.c_str(), R_OK) == 0; };
    if (std::string list = etc_apt + "/sources.list"; readable(list)) {
        if (std::string uri = main_archive_in_list(read_file(list)); !uri.empty()) return uri;
    }
    std::string dir_path = etc_apt + "/sources.list.d";
    std::vector<std::string> names;
    if (DIR* dir = ::opendir(dir_path.c_str())) {
        while (struct dirent* e = ::readdir(dir))
            names.emplace_back(e->d_name);
        ::closedir(dir);
    }
    std::sort(names.begin(), names.end());
    auto ends_with = [](const std::string& s, const std::string& suffix) {
        return s.size() > suffix.size() &&
               s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    for (const auto& name : names) {
        std::string path = dir_path + "/" + name;
        if (!readable(path)) continue;
        std::string uri;
        if (ends_with(name, ".list"))
            uri = main_archive_in_list(read_file(path));
        else if (ends_with(name, ".sources"))
            uri = main_archive_in_sources(read_file(path));
        if (!uri.empty()) return uri;
    }
    return kFallbackMirror;
}

std::string ensure_debian_rootfs(const DebianRecipe& recipe, const std::string& cache_dir,
                                 const std::string& mirror) {
    std::string key = debian_cache_key(recipe);
    std::string final_path = cache_dir + "/" + key;
    make_dirs(cache_dir);
    // One builder at a time per cache directory: a second `bundle new` waits for the first's
    // debootstrap and then finds the entry.
    unique_fd lock = open_fd(cache_dir, O_RDONLY | O_DIRECTORY);
    while (::flock(lock.get(), LOCK_EX) < 0) {
        if (errno != EINTR) throw_errno("lock " + cache_dir);
    }
    struct stat st {};
    if (::lstat(final_path.c_str(), &st) == 0) {
        if (!S_ISDIR(st.st_mode)) throw Error(final_path + " exists and is not a directory");
        return final_path;
    }

    // Builds that died (killed, power loss) left their temp dirs: nobody else builds now.
    std::string stale_prefix = "." + key + ".tmp-";
    if (DIR* dir = ::opendir(cache_dir.c_str())) {
        std::vector<std::string> stale;
        while (struct dirent* e = ::readdir(dir))
            if (std::string(e->d_name).rfind(stale_prefix, 0) == 0) stale.emplace_back(e->d_name);
        ::closedir(dir);
        for (const auto& name : stale)
            remove_tree(cache_dir + "/" + name);
    }

    std::string debootstrap = find_in_path("debootstrap");
    if (debootstrap.empty())
        throw Error(
            "debootstrap not found: install Debian's debootstrap package "
            "(apt-get install debootstrap)");
    std::string arch = recipe.arch.empty() ? debian_arch() : recipe.arch;
    std::string staging = make_staging_dir(final_path);
    try {
        std::string include;
        for (const auto& p : recipe.include)
            include += (include.empty() ? "" : ",") + p;
        std::vector<std::string> argv = {debootstrap, "--variant=" + recipe.variant,
                                         "--arch=" + arch};
        if (!include.empty()) argv.push_back("--include=" + include);
        argv.insert(argv.end(), {recipe.suite, staging, mirror});
        std::cerr << "hull: debootstrap " << recipe.suite << " (" << recipe.variant << ", " << arch
                  << ") from " << mirror << " into the cache " << final_path
                  << " (once per package list; ~35 s, ~240 MB)\n";
        // In a mount namespace of its own: the /proc and /sys it mounts in the target go away
        // with it even when it fails half-way, so the temp dir can always be removed.
        run_program(argv, "debootstrap", {.private_mounts = true});
        adjust_for_container(staging);
        if (::chmod(staging.c_str(), 0755) < 0) throw_errno("chmod " + staging);
        if (::rename(staging.c_str(), final_path.c_str()) < 0) throw_errno("rename " + staging);
    } catch (const Error& e) {
        remove_tree(staging);
        throw e.with_context("making the " + key + " root filesystem in " + cache_dir);
    } catch (...) {
        remove_tree(staging);
        throw;
    }
    return final_path;
}

void make_debian_rootfs(const std::string& rootfs, const std::string& cache_dir,
                        const std::string& mirror, const std::string& hostname) {
    std::string cached = ensure_debian_rootfs(DebianRecipe{}, cache_dir, mirror);
    // cp keeps owners, modes, timestamps, xattrs (file capabilities) and hard links, and
    // shares extents where the file system can (reflink); the cache tree is never written.
    run_program({"cp", "-a", "--reflink=auto", cached + "/.", rootfs + "/"},
                "copying " + cached + " to " + rootfs);
    write_file(rootfs + "/etc/hostname", hostname + "\n", 0644);
    write_file(rootfs + "/etc/hosts",
               "127.0.0.1\tlocalhost\n127.0.1.1\t" + hostname +
                   "\n::1\t\tlocalhost ip6-localhost ip6-loopback\nff02::1\t\tip6-allnodes\n"
                   "ff02::2\t\tip6-allrouters\n",
               0644);
}

}  // namespace hull::bundle
