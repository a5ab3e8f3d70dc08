// The parts every system template shares (its config.json) and the busybox system: a
// busybox-init userland from the host's busybox-static.
#include <rapidjson/document.h>
#include <rapidjson/pointer.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "base/error.hpp"
#include "base/file.hpp"
#include "bundle/template.hpp"
#include "bundle/template_util.hpp"
#include "spec/default_spec.hpp"

namespace hull::bundle {

namespace {

// Run once by busybox init before anything else (the sysinit action).
constexpr const char* kRcS = R"sh(#!/bin/sh
# sysinit of the hull busybox system (busybox init runs it once, before the console shell).
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
echo "hull busybox system: booting"

# Debian's busybox has no mountpoint applet: look the path up in the mount table.
mounted() { grep -qs "^[^ ]* $1 " /proc/mounts; }

# The runtime mounts /proc, /sys and /dev (hull --system-container also /run, /run/lock and
# /tmp); mount whatever is missing, e.g. under a runtime that only runs the config's mounts.
mounted /proc || mount -t proc -o nosuid,nodev,noexec proc /proc
mounted /sys || mount -t sysfs -o nosuid,nodev,noexec,ro sysfs /sys 2>/dev/null
mkdir -p /dev/pts /dev/shm
mounted /dev/pts || mount -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts /dev/pts 2>/dev/null
mounted /run || mount -t tmpfs -o nosuid,nodev,mode=755 tmpfs /run 2>/dev/null
mkdir -p /run/lock
mounted /run/lock || mount -t tmpfs -o nosuid,nodev,noexec,size=5120k tmpfs /run/lock 2>/dev/null
mounted /tmp || mount -t tmpfs -o nosuid,nodev,mode=1777 tmpfs /tmp 2>/dev/null

# The runtime sets the hostname from config.json; set it from /etc/hostname when allowed
# (it needs CAP_SYS_ADMIN) so that editing the file takes effect at the next boot.
[ -s /etc/hostname ] && hostname -F /etc/hostname 2>/dev/null
ifconfig lo 127.0.0.1 up 2>/dev/null
echo "hull busybox system: up on $(hostname)"
exit 0
)sh";

// Run by busybox init when it halts, powers off or reboots (the shutdown action), before it
// signals every process. Only what rcS may have mounted is unmounted: remounting / read-only,
// as a VM's shutdown does, would change the host file system's superblock under a container
// that shares it.
constexpr const char* kRcK = R"sh(#!/bin/sh
# shutdown of the hull busybox system (busybox init runs it on halt, poweroff and reboot).
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
echo "hull busybox system: halting"
sync
for m in /run/lock /tmp; do
    grep -qs "^[^ ]* $m " /proc/mounts && umount "$m" 2>/dev/null
done
sync
exit 0
)sh";

// busybox init's table: id:runlevels:action:process (the id is a tty, empty for init's own).
constexpr const char* kInittab =
    R"(# /etc/inittab of the hull busybox system (busybox init, not sysvinit: no runlevels).
# Boot: rcS mounts what is missing and sets the hostname.
::sysinit:/etc/init.d/rcS
# A root login shell on the console, started again when it exits (no password: the
# container's console is reached only through the runtime, e.g. `hull console ID`).
console::respawn:-/bin/sh
# Ctrl-Alt-Del (SIGINT to init) reboots; busybox reboot signals init with SIGTERM.
::ctrlaltdel:/sbin/reboot
# SIGQUIT: init re-executes itself (e.g. after an upgrade of /bin/busybox).
::restart:/sbin/init
# halt (SIGUSR1), poweroff (SIGUSR2) and reboot (SIGTERM) run this before killing everything.
::shutdown:/etc/init.d/rcK
)";

constexpr const char* kProfile =
    R"sh(# /etc/profile of the hull busybox system (read by the console's login shell).
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
HOME=${HOME:-/root}
PS1='\u@\h:\w\$ '
export PATH HOME PS1
cd "$HOME" 2>/dev/null
)sh";

void symlink_replacing(const std::string& target, const std::string& link) {
    ::unlink(link.c_str());
    if (::symlink(target.c_str(), link.c_str()) < 0) throw_errno("symlink " + link);
}

}  // namespace

std::string system_config_json(const std::string& hostname) {
    rapidjson::Document doc;
    std::string text = spec::default_config_json();
    doc.Parse(text.c_str());
    if (doc.HasParseError() || !doc.IsObject()) throw Error("the default config.json is invalid");
    auto& alloc = doc.GetAllocator();

    // No args: the runtime finds the image's init (/sbin/init, /etc/init, /bin/init).
    doc["process"].RemoveMember("args");
    rapidjson::Pointer("/process/terminal").Set(doc, true);
    // An init runs setuid programs (su, login, ping) and services that gain privileges.
    rapidjson::Pointer("/process/noNewPrivileges").Set(doc, false);
    // Capabilities stay hull's default set: --system-container widens it to what an init needs.
    rapidjson::Pointer("/root/readonly").Set(doc, false);
    rapidjson::Pointer("/hostname").Set(doc, rapidjson::Value(hostname.c_str(), alloc));
    rapidjson::Pointer("/annotations/org.hull.system-container").Set(doc, "true");

    // systemd makes its own cgroups: the cgroupfs (in the container's cgroup namespace) must
    // be writable.
    for (auto& m : doc["mounts"].GetArray()) {
        if (std::string(m["destination"].GetString()) != "/sys/fs/cgroup") continue;
        if (!m.HasMember("options")) break;
        auto& opts = m["options"];
        for (auto it = opts.Begin(); it != opts.End();) {
            if (std::string(it->GetString()) == "ro")
                it = opts.Erase(it);
            else
                ++it;
        }
        opts.PushBack("rw", alloc);
    }

    // pid, mount, ipc, uts, network, cgroup: the default list already has exactly these.
    rapidjson::StringBuffer buf;
    rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buf);
    writer.SetIndent(' ', 4);
    doc.Accept(writer);
    return std::string(buf.GetString(), buf.GetSize()) + "\n";
}

void make_busybox_system_rootfs(const std::string& rootfs, const std::string& busybox,
                                const std::string& hostname) {
    make_busybox_rootfs(rootfs, busybox);
    for (const char* dir : {"etc/init.d", "run/lock", "var/log", "var/lib", "home", "mnt"})
        make_dirs(rootfs + "/" + dir);
    // busybox --list-full already links sbin/init; make sure whatever the applet list says.
    symlink_replacing("/bin/busybox", rootfs + "/sbin/init");
    symlink_replacing("../run", rootfs + "/var/run");
    symlink_replacing("../run/lock", rootfs + "/var/lock");
    ::chmod((rootfs + "/root").c_str(), 0700);

    write_file(rootfs + "/etc/inittab", kInittab, 0644);
    write_file(rootfs + "/etc/init.d/rcS", kRcS, 0755);
    write_file(rootfs + "/etc/init.d/rcK", kRcK, 0755);
    write_file(rootfs + "/etc/profile", kProfile, 0644);
    write_file(rootfs + "/etc/hostname", hostname + "\n", 0644);
    write_file(rootfs + "/etc/hosts",
               "127.0.0.1\tlocalhost\n127.0.1.1\t" + hostname + "\n::1\tlocalhost\n", 0644);
    write_file(rootfs + "/etc/passwd",
               "root:x:0:0:root:/root:/bin/sh\n"
               "daemon:x:1:1:daemon:/usr/sbin:/bin/false\n"
               "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n",
               0644);
    // Empty password field: no password (the shell on the console needs no login anyway).
    write_file(rootfs + "/etc/shadow", "root::19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n",
               0640);
    write_file(rootfs + "/etc/group",
               "root:x:0:\ndaemon:x:1:\ntty:x:5:\ndisk:x:6:\nshadow:x:42:\nnogroup:x:65534:\n",
               0644);
    write_file(rootfs + "/etc/fstab", "# nothing: the runtime and /etc/init.d/rcS mount\n", 0644);
    write_file(rootfs + "/etc/os-release",
               "NAME=\"hull busybox system\"\nID=hull-busybox\nPRETTY_NAME=\"hull busybox "
               "system\"\n",
               0644);
}

}  // namespace hull::bundle
