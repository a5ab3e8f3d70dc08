// The debian template: Debian bookworm made by debootstrap, booting systemd in a container.
// debootstrap runs once per package list; the finished root filesystem is kept in a cache and
// copied into each new bundle.
#pragma once

#include <string>
#include <vector>

namespace hull::bundle {

// What debootstrap is asked for. The cache key is derived from all of it.
struct DebianRecipe {
    std::string suite = "bookworm";
    std::string variant = "minbase";
    std::vector<std::string> include = {"systemd-sysv", "dbus"};
    std::string arch;  // Debian's name (amd64, arm64, ...); empty: the host's
};

// The host's architecture by Debian's name, from uname(2).
std::string debian_arch();

// "debian-<suite>-<variant>-<arch>-<16 hex>": the hash covers suite, variant, the sorted
// include list, arch and the version of the container adjustments made after debootstrap.
std::string debian_cache_key(const DebianRecipe& recipe);

// The first main-archive URI ("http://deb.debian.org/debian", any mirror whose path ends in
// /debian: not debian-security, not a ports or third-party repository) of an apt source file,
// one-line (.list) or deb822 (.sources) format; "" when it names none.
std::string main_archive_in_list(const std::string& text);
std::string main_archive_in_sources(const std::string& text);

// The main archive of the host's apt configuration (etc_apt/sources.list, then
// etc_apt/sources.list.d/*.list and *.sources in name order), else http://deb.debian.org/debian.
std::string host_debian_mirror(const std::string& etc_apt = "/etc/apt");

// The cached root filesystem for the recipe, made with debootstrap (from `mirror`) when it is
// not there yet: <cache_dir>/<key>, complete or absent (built in a temp dir beside it, then
// renamed; concurrent callers wait on <cache_dir>/<key>.lock). Returns its path.
std::string ensure_debian_rootfs(const DebianRecipe& recipe, const std::string& cache_dir,
                                 const std::string& mirror);

// Copies the cached tree into `rootfs` (which must be empty) and writes its per-bundle files
// (hostname, hosts).
void make_debian_rootfs(const std::string& rootfs, const std::string& cache_dir,
                        const std::string& mirror, const std::string& hostname);

}  // namespace hull::bundle
