#include "runtime/process_launch.hpp"

#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "base/error.hpp"
#include "base/procfs.hpp"
#include "base/syscalls.hpp"
#include "runtime/security/identity.hpp"
#include "runtime/security/lsm.hpp"
#include "runtime/security/process_attrs.hpp"
#include "runtime/security/seccomp.hpp"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

namespace hull::runtime {

namespace {

constexpr const char* kDefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

bool is_executable_file(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
           ::access(path.c_str(), X_OK) == 0;
}

// Enters cwd; with may_defer, a permission error returns false so that the caller can try again
// as the process's own user (root in a user namespace may be refused what that user may enter).
bool change_directory(const std::string& cwd, bool may_defer) {
    if (::chdir(cwd.c_str()) < 0) {
        if (may_defer && (errno == EACCES || errno == EPERM)) return false;
        throw_errno("chdir to cwd (\"" + cwd + "\") set in config.json");
    }
    // CVE-2024-21626: a cwd reached through a leaked fd lies outside our root, and getcwd
    // then fails or reports an unreachable path.
    char buf[PATH_MAX];
    if (!::getcwd(buf, sizeof buf) || buf[0] != '/')
        throw Error("current working directory is outside of the container's root");
    return true;
}

// The pty hull made for the process (its stdio) is given to the process's uid, as runc does
// for stdio: devpts made it root's, and a non-root user could not reopen or chmod its own
// terminal (`tty`, `mesg`, `script`). The group stays the devpts one (tty). EINVAL (uid not
// mapped here), EPERM (owner not mapped) and EROFS leave it as it is, as in runc.
void give_terminal_to(uid_t uid) {
    struct stat st {};
    if (::fstat(STDIN_FILENO, &st) < 0 || !S_ISCHR(st.st_mode) || st.st_uid == uid) return;
    if (::fchown(STDIN_FILENO, uid, static_cast<gid_t>(-1)) < 0 && errno != EINVAL &&
        errno != EPERM && errno != EROFS)
        throw_errno("chown the process's terminal to uid " + std::to_string(uid));
}

void warn(const LaunchOptions& options, const std::string& message) {
    if (options.log) options.log->warn(message);
}

std::vector<char*> c_strings(const std::vector<std::string>& v) {
    std::vector<char*> out;
    out.reserve(v.size() + 1);
    for (const auto& s : v)
        out.push_back(const_cast<char*>(s.c_str()));
    out.push_back(nullptr);
    return out;
}

}  // namespace

std::string resolve_executable(const std::string& name, const std::vector<std::string>& env) {
    if (name.find('/') != std::string::npos) return name;
    std::string path = kDefaultPath;
    for (const auto& e : env)
        if (e.rfind("PATH=", 0) == 0) path = e.substr(5);
    size_t start = 0;
    while (start <= path.size()) {
        size_t end = path.find(':', start);
        if (end == std::string::npos) end = path.size();
        // An empty PATH element means the current directory, as in execvp.
        std::string dir = end > start ? path.substr(start, end - start) : std::string(1, '.');
        std::string candidate = dir + "/" + name;
        if (is_executable_file(candidate)) return candidate;
        start = end + 1;
    }
    throw Error("exec: \"" + name + "\": executable file not found in $PATH", ENOENT);
}

void launch_user_process(const spec::Process& process, const spec::Config& config,
                         const LaunchOptions& options) {
    const spec::Linux* linux = config.linux ? &*config.linux : nullptr;

    // LSM exec labels take effect at execve; set them while we still hold every capability.
    security::apply_lsm_labels(process, options.lsms);
    security::apply_rlimits(process.rlimits);
    if (process.oom_score_adj)
        write_procfs(options.procfs, "self/oom_score_adj", std::to_string(*process.oom_score_adj));
    if (process.scheduler) security::apply_scheduler(*process.scheduler);
    if (process.io_priority) security::apply_io_priority(*process.io_priority);
    if (linux && linux->personality) security::apply_personality(*linux->personality);
    if (linux && linux->memory_policy) security::apply_memory_policy(*linux->memory_policy);

    // Every fd beyond stdio and --preserve-fds closes at execve; the sync fds stay usable
    // until then so that a failure can still be reported.
    unsigned first = 3u + static_cast<unsigned>(options.preserve_fds);
    if (sys::close_range(first, ~0U, CLOSE_RANGE_CLOEXEC) < 0) throw_errno("close_range");

    std::string exe = resolve_executable(process.args.at(0), process.env);
    // As runc does: enter cwd while still privileged, so that a user who may not search it
    // (a 0700 /root) still starts there, and again as the user only when that failed. Never
    // after the seccomp filter is loaded unless it must: the filter may deny getcwd.
    const std::string cwd = process.cwd.empty() ? "/" : process.cwd;
    bool in_cwd = change_directory(cwd, true);

    std::optional<security::SeccompProgram> seccomp;
    if (linux && linux->seccomp) {
        seccomp.emplace(security::compile_seccomp(*linux->seccomp));
        for (const auto& w : seccomp->warnings)
            warn(options, "seccomp: " + w);
    }
    auto load_seccomp = [&] {
        if (!seccomp) return;
        unique_fd listener = security::load_seccomp(*seccomp);
        if (listener && options.seccomp_listener >= 0)
            security::send_seccomp_listener(options.seccomp_listener, listener.get(),
                                            options.seccomp_listener_state);
    };
    if (process.terminal) give_terminal_to(process.user.uid);
    // Without no_new_privs, loading a filter needs CAP_SYS_ADMIN, which the user may lack.
    if (!process.no_new_privileges) load_seccomp();
    security::IdentityReport identity =
        security::apply_identity(process.user, process.capabilities);
    for (const auto& w : identity.warnings)
        warn(options, w);
    if (options.log)
        for (const auto& note : identity.notes)
            options.log->debug(note);
    if (!in_cwd) change_directory(cwd, false);
    if (process.no_new_privileges) {
        security::set_no_new_privileges();
        load_seccomp();
    }

    if (options.before_exec) options.before_exec();

    auto argv = c_strings(process.args);
    std::vector<std::string> env = process.env;
    if (options.listen_pid) env.push_back("LISTEN_PID=" + std::to_string(::getpid()));
    auto envp = c_strings(env);
    ::execve(exe.c_str(), argv.data(), envp.data());
    throw_errno("exec \"" + process.args[0] + "\"");
}

}  // namespace hull::runtime
