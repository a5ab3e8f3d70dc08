#include <signal.h>
#include <time.h>

#include "hooks/process.hpp"
#include "hooks/run_hooks.hpp"
#include "hooks/supervise.hpp"

namespace hull::hooks {

namespace {

// Blocks SIGPIPE for this thread while we write a hook's stdin, so that a hook which exits
// without reading its state gives us EPIPE instead of killing hull. A SIGPIPE raised meanwhile
// stays pending; it is consumed before the old mask returns, unless one was already pending
// before (that one is not ours to swallow).
class SigpipeBlock {
  public:
    SigpipeBlock() {
        sigemptyset(&pipe_);
        sigaddset(&pipe_, SIGPIPE);
        ::pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
        sigset_t pending;
        sigemptyset(&pending);
        ::sigpending(&pending);
        was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    }
    ~SigpipeBlock() {
        if (!was_pending_) {
            sigset_t pending;
            sigemptyset(&pending);
            ::sigpending(&pending);
            if (sigismember(&pending, SIGPIPE) == 1) {
                struct timespec zero {};
                ::sigtimedwait(&pipe_, nullptr, &zero);
            }
        }
        ::pthread_sigmask(SIG_SETMASK, &old_, nullptr);
    }
    SigpipeBlock(const SigpipeBlock&) = delete;
    SigpipeBlock& operator=(const SigpipeBlock&) = delete;

  private:
    sigset_t pipe_;
    sigset_t old_;
    bool was_pending_ = false;
};

}  // namespace

HookResult run_hook(const spec::Hook& hook, const std::string& state_json) {
    detail::SpawnedHook spawned = detail::spawn_hook(hook);
    SigpipeBlock no_sigpipe;
    return detail::supervise(spawned, state_json, hook.timeout.value_or(0));
}

}  // namespace hull::hooks
