// Bundles hull can make by itself (the role of `lxc-create -t`), from the host's
// busybox-static: a working container without downloading anything.
#pragma once

#include <string>
#include <vector>

namespace hull::bundle {

// The templates `hull bundle new --template` knows.
const std::vector<std::string>& template_names();

// Makes DIR/rootfs and DIR/config.json. "app": a busybox application container that prints
// a greeting and exits. Throws Error when DIR/config.json already exists or busybox is missing.
void make_bundle(const std::string& dir, const std::string& template_name);

// The host's static busybox (Debian's busybox-static), or Error naming the package.
std::string find_static_busybox();

// DIR with bin/busybox and a link for every applet, etc/passwd, etc/group.
void make_busybox_rootfs(const std::string& rootfs, const std::string& busybox);

}  // namespace hull::bundle
