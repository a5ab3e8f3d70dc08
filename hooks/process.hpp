// Internal: ownership of a started hook process and its pipes.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <utility>

#include "base/unique_fd.hpp"
#include "spec/config.hpp"

namespace hull::hooks::detail {

// A started hook, leader of its own process group. Until reap() has succeeded, destroying it
// SIGKILLs the group and reaps the hook, so an exception never leaves a hook running or a zombie.
class HookProcess {
  public:
    HookProcess(pid_t pid, unique_fd pidfd) noexcept : pid_(pid), pidfd_(std::move(pidfd)) {}
    HookProcess(HookProcess&& other) noexcept;
    HookProcess& operator=(HookProcess&&) = delete;
    HookProcess(const HookProcess&) = delete;
    HookProcess& operator=(const HookProcess&) = delete;
    ~HookProcess();

    int pidfd() const noexcept { return pidfd_.get(); }
    bool has_pidfd() const noexcept { return pidfd_.valid(); }

    // SIGKILLs the hook's process group (and the hook itself, should it have left the group).
    // Only valid before reap(): the unreaped hook keeps its pid, hence the pgid, from being reused.
    void kill_group() noexcept;

    // Waits for this hook only (never waitpid(-1)) and returns how it ended.
    siginfo_t reap();

  private:
    pid_t pid_ = -1;  // -1 once reaped
    unique_fd pidfd_;
};

struct SpawnedHook {
    HookProcess process;
    unique_fd stdin_w;   // parent's end of the hook's stdin
    unique_fd stdout_r;  // parent's ends of the hook's stdout and stderr
    unique_fd stderr_r;
};

// fork+execve of hook.path with exactly hook.args (argv[0] = path when args is empty) and
// exactly hook.env, in a new process group, with every fd but 0-2 closed and signal mask and
// dispositions reset. Returns once execve has succeeded; throws Error naming the failing step
// (e.g. "hook /x failed: exec failed: No such file or directory") otherwise.
SpawnedHook spawn_hook(const spec::Hook& hook);

}  // namespace hull::hooks::detail
