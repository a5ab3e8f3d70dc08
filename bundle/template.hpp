// Bundles hull can make by itself (the role of `lxc-create -t`): from the host's busybox-static
// a working container without downloading anything, or a Debian system from the configured
// mirror with debootstrap (cached, so only the first one downloads).
#pragma once

#include <string>
#include <vector>

namespace hull::bundle {

// The templates `hull bundle new --template` knows: app, busybox, debian.
const std::vector<std::string>& template_names();

struct TemplateOptions {
    std::string template_name = "app";
    // debian: where finished root filesystems are kept, one per cache key.
    std::string cache_dir = "/var/cache/hull/rootfs";
    // debian: the archive to debootstrap from; empty: the host's apt sources, else
    // http://deb.debian.org/debian.
    std::string mirror;
};

// Makes DIR/rootfs and DIR/config.json:
//   app     a busybox application container that prints a greeting and exits;
//   busybox a busybox-init system for --system-container (inittab, rcS, a console shell);
//   debian  Debian bookworm (minbase + systemd-sysv, dbus) booting systemd, for
//           --system-container.
// Throws Error when DIR/config.json already exists or what the template needs is missing.
// On failure nothing it made is left: no DIR/rootfs, no DIR it created, no cache entry.
void make_bundle(const std::string& dir, const TemplateOptions& options);
void make_bundle(const std::string& dir, const std::string& template_name);

// The host's static busybox (Debian's busybox-static), or Error naming the package.
std::string find_static_busybox();

// DIR with bin/busybox and a link for every applet, etc/passwd, etc/group.
void make_busybox_rootfs(const std::string& rootfs, const std::string& busybox);

// The config.json of the system templates: hull's default with no process.args (the runtime
// finds the init), a terminal, no noNewPrivileges, a writable root and cgroupfs, the hostname
// and the "org.hull.system-container" annotation.
std::string system_config_json(const std::string& hostname);

// busybox: make_busybox_rootfs plus the files of a busybox-init system (inittab, rcS, ...).
void make_busybox_system_rootfs(const std::string& rootfs, const std::string& busybox,
                                const std::string& hostname);

}  // namespace hull::bundle
