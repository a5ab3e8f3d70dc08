// What `--system-container` changes in a config before the container is made, so that a
// distribution's init can boot in it (systemd's "container interface": $container, /run,
// /dev/console, a writable cgroup subtree). Anything config.json sets explicitly wins; every
// change is logged at --debug so that users can see what hull did.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "base/log.hpp"
#include "runtime/system/init_discovery.hpp"
#include "spec/config.hpp"

namespace hull::system_container {

inline constexpr const char* kSystemAnnotation = "org.hull.system-container";
inline constexpr const char* kConsoleBufferAnnotation = "org.hull.console-buffer";
inline constexpr const char* kRebootLimitAnnotation = "org.hull.reboot-limit";
inline constexpr std::size_t kDefaultConsoleBufferBytes = 128 * 1024;
inline constexpr int kDefaultRebootLimit = 100;

// What the command line asked for; unset values come from annotations, then defaults.
struct SystemFlags {
    bool system_container = false;
    std::optional<std::size_t> console_buffer;
    std::optional<int> reboot_limit;  // -1: unlimited, 0: a reboot stops the container
};

struct SystemSettings {
    std::size_t console_buffer = kDefaultConsoleBufferBytes;
    int reboot_limit = kDefaultRebootLimit;
};

// Whether the flag or the annotation org.hull.system-container ("true"/"false") asks for the
// mode. A malformed annotation is an error naming it.
bool system_mode_requested(const spec::Config& config, const SystemFlags& flags);

// The settings, flags over annotations over defaults; errors name the annotation.
SystemSettings system_settings(const spec::Config& config, const SystemFlags& flags);

// "128K", "1M", "65536" -> bytes; Error naming what on anything else (or 0 / over 64 MiB).
std::size_t parse_buffer_size(const std::string& text, const std::string& what);

struct SystemAdjustments {
    std::string init;  // the program init runs as (args[0])
    InitFlavor flavor = InitFlavor::unknown;
    int halt_signal = 0;
};

// Adjusts config in place for booting an init from rootfs; logs each change at debug level.
// uuid: the container_uuid for the environment (stable across reboots).
SystemAdjustments adjust_for_system_container(spec::Config& config, const std::string& rootfs,
                                              const std::string& uuid, const Logger& log);

// A random RFC 4122 version 4 UUID, lower-case with dashes.
std::string random_uuid();

// create's plan for a system container, made once the config is read and kept by the
// supervisor for every reboot.
struct SystemPlan {
    SystemSettings settings;
    SystemAdjustments adjustments;
    std::string uuid;  // container_uuid, the same across reboots
};

// Whether the flag or the annotation makes this a system container. The flags that only
// shape a system container's supervisor are refused on an application container, where they
// would do nothing.
bool wants_system_container(const spec::Config& config, const SystemFlags& flags);

// Checks what a system container needs (a mount namespace of its own; hull keeping the
// console, so no console_socket), then adjusts config for booting its init from rootfs.
SystemPlan plan_system_container(spec::Config& config, const std::string& rootfs,
                                 const SystemFlags& flags, const std::string& id,
                                 const std::string& console_socket, const Logger& log);

}  // namespace hull::system_container
