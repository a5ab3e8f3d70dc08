// The last steps before a container process runs user code, shared by a container's init
// and by `hull exec`: process attributes, identity and capabilities, fds, cwd, seccomp, execve.
#pragma once

#include <functional>
#include <string>

#include "base/log.hpp"
#include "runtime/security/lsm.hpp"
#include "spec/config.hpp"

namespace hull::runtime {

struct LaunchOptions {
    int preserve_fds = 0;                // fds 3 .. 3+N-1 stay open for the user process
    int procfs = -1;                     // verified procfs handle for /proc/self writes
    int seccomp_listener = -1;           // connected socket to linux.seccomp.listenerPath, or -1
    std::string seccomp_listener_state;  // the container process state sent with the fd
    // Detected before pivot_root: inside the container /sys may not show the LSMs.
    security::LsmState lsms;
    const Logger* log = nullptr;  // for warnings (capabilities, seccomp rules)
    // Runs last before execve: as the process's user, with its capabilities and its seccomp
    // filter in place. init's startContainer hooks run here, as in runc and crun.
    std::function<void()> before_exec;
    // Socket activation (socket_activation.hpp): LISTEN_PID= the process's own pid.
    bool listen_pid = false;
};

// Never returns on success. Throws Error with context on failure (the caller reports it).
[[noreturn]] void launch_user_process(const spec::Process& process, const spec::Config& config,
                                      const LaunchOptions& options);

// process.env's PATH lookup of args[0], as execvp does but with the container's PATH.
std::string resolve_executable(const std::string& name, const std::vector<std::string>& env);

}  // namespace hull::runtime
