// Bundles for system-container tests (--system-container boots their init), made by the built
// hull's own templates. The debian one comes from the shared rootfs cache: the first use on a
// machine runs debootstrap (about 35 s on a quiet host, several minutes on a busy one), every
// later one only copies the cached tree (~240 MB).
#pragma once

#include <string>

namespace hull::test {

// The rootfs cache the tests share: $HULL_TEST_ROOTFS_CACHE, else hull's default
// /var/cache/hull/rootfs (so a developer's own `hull bundle new --template debian` fills it).
std::string system_rootfs_cache_dir();

// Why a debian bundle cannot be made here ("" when it can): neither debootstrap nor a cached
// rootfs. Tests WARN("SKIPPED ...") with it instead of failing.
std::string debian_bundle_unavailable();

// `hull bundle new <parent>/<name> --template debian --cache-dir <shared cache>`; returns the
// bundle directory (fresh: config.json and rootfs/ booting systemd). Throws std::runtime_error
// with hull's message on failure.
std::string make_debian_bundle(const std::string& parent, const std::string& name = "debian");

// `hull bundle new <parent>/<name> --template busybox`: a busybox-init system.
std::string make_busybox_system_bundle(const std::string& parent,
                                       const std::string& name = "busybox");

}  // namespace hull::test
