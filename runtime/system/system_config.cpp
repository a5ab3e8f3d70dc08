#include "runtime/system/system_config.hpp"

#include <sys/prctl.h>
#include <sys/random.h>

#include <algorithm>
#include <cstdio>
#include <set>

#include "base/error.hpp"
#include "runtime/security/capabilities.hpp"

namespace hull::system_container {

namespace {

// `hull spec`'s default set (runc's): a config that still has it did not choose capabilities.
const std::set<std::string> kDefaultCaps = {"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"};

// What an init and its services expect to have (the set systemd-nspawn grants a booted
// container): mounting, hostnames, reboot(2) in its pid namespace, device nodes for udev-less
// setups, ptrace for debuggers, nice levels, and the usual file-ownership powers.
const char* const kInitCaps[] = {"CAP_AUDIT_CONTROL",
                                 "CAP_AUDIT_WRITE",
                                 "CAP_CHOWN",
                                 "CAP_DAC_OVERRIDE",
                                 "CAP_DAC_READ_SEARCH",
                                 "CAP_FOWNER",
                                 "CAP_FSETID",
                                 "CAP_IPC_OWNER",
                                 "CAP_KILL",
                                 "CAP_LEASE",
                                 "CAP_LINUX_IMMUTABLE",
                                 "CAP_MKNOD",
                                 "CAP_NET_BIND_SERVICE",
                                 "CAP_NET_BROADCAST",
                                 "CAP_NET_RAW",
                                 "CAP_SETFCAP",
                                 "CAP_SETGID",
                                 "CAP_SETPCAP",
                                 "CAP_SETUID",
                                 "CAP_SYS_ADMIN",
                                 "CAP_SYS_BOOT",
                                 "CAP_SYS_CHROOT",
                                 "CAP_SYS_NICE",
                                 "CAP_SYS_PTRACE",
                                 "CAP_SYS_RESOURCE",
                                 "CAP_SYS_TTY_CONFIG"};

bool same_set(const std::optional<std::vector<std::string>>& set) {
    return set && std::set<std::string>(set->begin(), set->end()) == kDefaultCaps;
}

bool empty_or_absent(const std::optional<std::vector<std::string>>& set) {
    return !set || set->empty();
}

bool caps_at_default(const std::optional<spec::Capabilities>& caps) {
    if (!caps) return true;
    return same_set(caps->bounding) && same_set(caps->effective) && same_set(caps->permitted) &&
           empty_or_absent(caps->inheritable) && empty_or_absent(caps->ambient);
}

// The init set, minus what hull itself cannot hand out (e.g. CAP_SYS_RESOURCE when hull runs
// without it): asking for those would only produce warnings.
std::vector<std::string> grantable_init_caps() {
    std::vector<std::string> out;
    for (const char* name : kInitCaps) {
        auto number = security::capability_number(name);
        if (number && ::prctl(PR_CAPBSET_READ, *number, 0, 0, 0) == 1) out.push_back(name);
    }
    return out;
}

bool has_mount_at(const spec::Config& config, const std::string& destination) {
    auto norm = [](std::string p) {
        while (p.size() > 1 && p.back() == '/')
            p.pop_back();
        return p;
    };
    return std::any_of(config.mounts.begin(), config.mounts.end(),
                       [&](const spec::Mount& m) { return norm(m.destination) == destination; });
}

bool beneath(const std::string& path, const std::string& dir) {
    return path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 &&
           path[dir.size()] == '/';
}

// Before the first mount that lies beneath it (a config's /run/secrets stays visible), else
// last.
void add_mount(spec::Config& config, spec::Mount mount, const Logger& log) {
    auto at = std::find_if(config.mounts.begin(), config.mounts.end(), [&](const spec::Mount& m) {
        return beneath(m.destination, mount.destination);
    });
    std::string options;
    for (const auto& o : mount.options)
        options += (options.empty() ? "" : ",") + o;
    log.debug("system container: mounting " + mount.type + " on " + mount.destination + " (" +
              options + ")");
    config.mounts.insert(at, std::move(mount));
}

void add_namespace(spec::Config& config, const std::string& type, const std::string& why,
                   const Logger& log) {
    if (config.has_namespace(type)) return;
    config.linux->namespaces.push_back(spec::Namespace{type, ""});
    log.debug("system container: adding a " + type + " namespace (" + why + ")");
}

bool has_env(const std::vector<std::string>& env, const std::string& name) {
    return std::any_of(env.begin(), env.end(),
                       [&](const std::string& e) { return e.rfind(name + "=", 0) == 0; });
}

}  // namespace

bool system_mode_requested(const spec::Config& config, const SystemFlags& flags) {
    if (flags.system_container) return true;
    auto it = config.annotations.find(kSystemAnnotation);
    if (it == config.annotations.end()) return false;
    if (it->second == "true") return true;
    if (it->second == "false") return false;
    throw Error(std::string("config.json: /annotations/") + kSystemAnnotation +
                ": must be \"true\" or \"false\", not \"" + it->second + "\"");
}

std::size_t parse_buffer_size(const std::string& text, const std::string& what) {
    std::size_t pos = 0;
    unsigned long long value = 0;
    try {
        value = std::stoull(text, &pos);
    } catch (const std::exception&) {
        pos = 0;
    }
    std::string suffix = pos ? text.substr(pos) : "";
    unsigned long long scale = 1;
    if (suffix == "K" || suffix == "k" || suffix == "KiB")
        scale = 1024;
    else if (suffix == "M" || suffix == "m" || suffix == "MiB")
        scale = 1024 * 1024;
    else if (!suffix.empty())
        pos = 0;
    constexpr unsigned long long kMax = 64ull << 20;
    if (pos == 0 || text[0] == '-' || value == 0 || value > kMax / scale)
        throw Error(what + ": \"" + text +
                    "\" is not a console buffer size (bytes, or with K or M; 1 byte to 64M)");
    return static_cast<std::size_t>(value * scale);
}

SystemSettings system_settings(const spec::Config& config, const SystemFlags& flags) {
    SystemSettings s;
    auto annotation = [&](const char* key) -> const std::string* {
        auto it = config.annotations.find(key);
        return it == config.annotations.end() ? nullptr : &it->second;
    };
    if (flags.console_buffer)
        s.console_buffer = *flags.console_buffer;
    else if (const std::string* v = annotation(kConsoleBufferAnnotation))
        s.console_buffer = parse_buffer_size(
            *v, std::string("config.json: /annotations/") + kConsoleBufferAnnotation);
    if (flags.reboot_limit) {
        s.reboot_limit = *flags.reboot_limit;
    } else if (const std::string* v = annotation(kRebootLimitAnnotation)) {
        std::size_t pos = 0;
        try {
            s.reboot_limit = std::stoi(*v, &pos);
        } catch (const std::exception&) {
            pos = 0;
        }
        if (pos == 0 || pos != v->size() || s.reboot_limit < -1)
            throw Error(std::string("config.json: /annotations/") + kRebootLimitAnnotation +
                        ": \"" + *v + "\" is not a reboot limit (-1 for none, 0 or more)");
    }
    if (s.reboot_limit < -1) throw Error("--reboot-limit: must be -1 (no limit) or more");
    return s;
}

SystemAdjustments adjust_for_system_container(spec::Config& config, const std::string& rootfs,
                                              const std::string& uuid, const Logger& log) {
    spec::Process& process = *config.process;
    SystemAdjustments out;
    if (process.args.empty()) {
        process.args = {discover_init(rootfs)};
        log.debug("system container: process.args is empty, booting " + process.args[0]);
    }
    out.init = process.args[0];
    out.flavor = detect_init_flavor(rootfs, out.init);
    out.halt_signal = halt_signal(out.flavor);
    log.debug(std::string("system container: init is ") + flavor_name(out.flavor) +
              ", halted with signal " + std::to_string(out.halt_signal));

    if (!has_env(process.env, "container")) {
        process.env.push_back("container=hull");
        log.debug("system container: setting container=hull in init's environment");
    }
    if (!has_env(process.env, "container_uuid")) {
        process.env.push_back("container_uuid=" + uuid);
        log.debug("system container: setting container_uuid=" + uuid);
    }
    if (!process.terminal) {
        // The supervisor holds /dev/console's pty: `hull console` and console.log need it.
        process.terminal = true;
        log.debug("system container: process.terminal set, /dev/console is a pty");
    }
    if (caps_at_default(process.capabilities)) {
        std::vector<std::string> caps = grantable_init_caps();
        spec::Capabilities c;
        c.bounding = c.effective = c.permitted = caps;
        process.capabilities = c;
        std::string names;
        for (const auto& n : caps)
            names += (names.empty() ? "" : " ") + n;
        log.debug("system container: capabilities at the default, granting an init's: " + names);
    }

    // Without its own pid namespace reboot(2) would not be contained, and an init needs its
    // own hostname and cgroup view.
    add_namespace(config, "pid", "init must be pid 1 and reboot(2) must stay inside", log);
    add_namespace(config, "uts", "init sets the hostname", log);
    add_namespace(config, "ipc", "init's services use System V IPC", log);
    add_namespace(config, "cgroup", "init manages its own cgroup subtree", log);

    if (!has_mount_at(config, "/dev")) {
        add_mount(config,
                  {"/dev", "tmpfs", "tmpfs", {"nosuid", "strictatime", "mode=755", "size=65536k"}},
                  log);
        if (!has_mount_at(config, "/dev/pts"))
            add_mount(config,
                      {"/dev/pts",
                       "devpts",
                       "devpts",
                       {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"}},
                      log);
    }
    if (!has_mount_at(config, "/sys/fs/cgroup"))
        add_mount(config,
                  {"/sys/fs/cgroup", "cgroup", "cgroup", {"nosuid", "noexec", "nodev", "relatime"}},
                  log);
    if (!has_mount_at(config, "/run"))
        add_mount(config, {"/run", "tmpfs", "tmpfs", {"nosuid", "nodev", "mode=755", "size=20%"}},
                  log);
    if (!has_mount_at(config, "/run/lock"))
        add_mount(
            config,
            {"/run/lock", "tmpfs", "tmpfs", {"nosuid", "nodev", "noexec", "mode=1777", "size=5m"}},
            log);
    if (!has_mount_at(config, "/tmp"))
        add_mount(config, {"/tmp", "tmpfs", "tmpfs", {"nosuid", "nodev", "mode=1777"}}, log);
    for (const auto& m : config.mounts)
        if (m.destination == "/sys/fs/cgroup" &&
            std::find(m.options.begin(), m.options.end(), "ro") != m.options.end())
            log.debug(
                "system container: /sys/fs/cgroup stays read-only as config.json asks; "
                "an init that manages cgroups will fail");
    return out;
}

std::string random_uuid() {
    unsigned char b[16];
    if (::getrandom(b, sizeof b, 0) != static_cast<ssize_t>(sizeof b)) throw_errno("getrandom");
    b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
    b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
    char out[37];
    std::snprintf(out, sizeof out,
                  "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
                  b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
                  b[14], b[15]);
    return out;
}

bool wants_system_container(const spec::Config& config, const SystemFlags& flags) {
    if (system_mode_requested(config, flags)) return true;
    if (flags.console_buffer)
        throw Error("--console-buffer: only for a system container (--system-container)");
    if (flags.reboot_limit)
        throw Error("--reboot-limit: only for a system container (--system-container)");
    return false;
}

SystemPlan plan_system_container(spec::Config& config, const std::string& rootfs,
                                 const SystemFlags& flags, const std::string& id,
                                 const std::string& console_socket, const Logger& log) {
    if (!config.has_namespace("mount"))
        throw Error(
            "config.json: /linux/namespaces: a system container needs a mount namespace of its "
            "own (its init mounts /proc, /sys, /run and more)");
    if (!console_socket.empty())
        throw Error(
            "--console-socket cannot be used with --system-container: hull keeps the "
            "console (attach with `hull console " +
            id + "`)");
    SystemPlan plan;
    plan.settings = system_settings(config, flags);
    plan.uuid = random_uuid();
    plan.adjustments = adjust_for_system_container(config, rootfs, plan.uuid, log);
    return plan;
}

}  // namespace hull::system_container
