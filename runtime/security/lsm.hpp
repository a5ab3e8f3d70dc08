// AppArmor profiles and SELinux labels for the container process, set for the next execve.
#pragma once

#include "spec/config.hpp"

namespace hull::security {

// /sys/module/apparmor/parameters/enabled is "Y", and when securityfs is mounted its lsm list
// names apparmor. Call on the host: a container's /sys may not show either.
bool apparmor_enabled();
// selinuxfs is mounted at /sys/fs/selinux and has an enforce file.
bool selinux_enabled();

struct LsmState {
    bool apparmor = false;
    bool selinux = false;
};
LsmState detect_lsms();

// Refuses, before anything is made, a profile or label whose LSM is off: Error
// "<source>: \"<profile>\" requested but AppArmor is not enabled on this host" (SELinux alike),
// where the sources name what asked for it (a config.json pointer, or a flag).
void require_lsms(const std::string& profile, const std::string& profile_source,
                  const std::string& label, const std::string& label_source, const LsmState& lsms);

// Sets process.apparmorProfile ("exec <profile>" to /proc/thread-self/attr/apparmor/exec, or
// the older attr/exec) and process.selinuxLabel (attr/exec) for the next execve. Writes go
// through openat2 beneath a /proc verified to be procfs (CVE-2019-16884). A profile or label
// requested while its LSM is off is an Error; empty fields do nothing.
// lsms: detected on the host (inside the container /sys may not show them).
void apply_lsm_labels(const spec::Process& process, const LsmState& lsms);

}  // namespace hull::security
