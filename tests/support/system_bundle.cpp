#include "system_bundle.hpp"

#include <dirent.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>

#include "command.hpp"

namespace hull::test {

namespace {

bool cache_has_debian(const std::string& cache) {
    DIR* dir = ::opendir(cache.c_str());
    if (!dir) return false;
    bool found = false;
    while (struct dirent* e = ::readdir(dir))
        if (std::string(e->d_name).rfind("debian-", 0) == 0) found = true;
    ::closedir(dir);
    return found;
}

std::string bundle_new(const std::string& parent, const std::string& name,
                       const std::vector<std::string>& extra) {
    std::string dir = parent + "/" + name;
    std::vector<std::string> argv = {hull_binary(), "bundle", "new", dir};
    argv.insert(argv.end(), extra.begin(), extra.end());
    CommandOptions options;
    options.timeout_seconds = 900;  // a cache miss runs debootstrap
    auto r = run_command(argv, options);
    if (r.status != 0)
        throw std::runtime_error("hull bundle new " + dir + " failed (" + std::to_string(r.status) +
                                 "): " + r.err);
    return dir;
}

}  // namespace

std::string system_rootfs_cache_dir() {
    const char* env = std::getenv("HULL_TEST_ROOTFS_CACHE");
    return env && *env ? env : "/var/cache/hull/rootfs";
}

std::string debian_bundle_unavailable() {
    if (cache_has_debian(system_rootfs_cache_dir())) return "";
    for (const char* dir : {"/usr/sbin", "/usr/bin", "/sbin", "/bin"})
        if (::access((std::string(dir) + "/debootstrap").c_str(), X_OK) == 0) return "";
    return "debootstrap is not installed (apt-get install debootstrap) and " +
           system_rootfs_cache_dir() + " holds no debian rootfs";
}

std::string make_debian_bundle(const std::string& parent, const std::string& name) {
    return bundle_new(parent, name,
                      {"--template", "debian", "--cache-dir", system_rootfs_cache_dir()});
}

std::string make_busybox_system_bundle(const std::string& parent, const std::string& name) {
    return bundle_new(parent, name, {"--template", "busybox"});
}

}  // namespace hull::test
