// Which init a system container boots, and how that init wants to be asked to halt.
#pragma once

#include <string>

namespace hull::system_container {

enum class InitFlavor { systemd, busybox, sysvinit, unknown };

// The paths tried, in OpenVZ's order, when process.args is empty.
inline constexpr const char* kInitCandidates[] = {"/sbin/init", "/etc/init", "/bin/init"};

// The first candidate that is an executable regular file inside the rootfs (symlinks are
// followed without leaving it). Throws Error naming every candidate when none exists.
std::string discover_init(const std::string& rootfs);

// Looks at the binary `init` (a path inside the rootfs) resolves to.
InitFlavor detect_init_flavor(const std::string& rootfs, const std::string& init);

// The signal each init takes as "halt the system cleanly" (the table in README):
// systemd SIGRTMIN+3, busybox SIGUSR2, sysvinit SIGPWR, anything else SIGPWR (as LXC does).
int halt_signal(InitFlavor flavor);

const char* flavor_name(InitFlavor flavor);

}  // namespace hull::system_container
