#include "bundle/idmap.hpp"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "base/error.hpp"
#include "base/file.hpp"

namespace hull::bundle {
namespace {

std::string format_map(const std::vector<spec::IdMapping>& mappings) {
    std::string out;
    for (const auto& m : mappings) {
        out += std::to_string(m.container_id) + " " + std::to_string(m.host_id) + " " +
               std::to_string(m.size) + "\n";
    }
    return out;
}

// Kills and reaps the helper child whatever happens in between.
class ChildGuard {
  public:
    explicit ChildGuard(pid_t pid) : pid_(pid) {}
    ChildGuard(const ChildGuard&) = delete;
    ChildGuard& operator=(const ChildGuard&) = delete;
    ~ChildGuard() {
        ::kill(pid_, SIGKILL);
        while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
        }
    }

  private:
    pid_t pid_;
};

}  // namespace

unique_fd make_userns_fd(const std::vector<spec::IdMapping>& uid_mappings,
                         const std::vector<spec::IdMapping>& gid_mappings) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) < 0) throw_errno("idmap: pipe");
    unique_fd ready_read(fds[0]);
    unique_fd ready_write(fds[1]);

    pid_t pid = ::fork();
    if (pid < 0) throw_errno("idmap: fork");
    if (pid == 0) {
        // Only async-signal-safe calls here: the parent may be any process.
        char status = ::unshare(CLONE_NEWUSER) == 0 ? '1' : '0';
        if (::write(ready_write.get(), &status, 1) != 1) ::_exit(1);
        for (;;)
            ::pause();
    }
    ChildGuard guard(pid);
    ready_write.reset();

    char status = 0;
    ssize_t n;
    do {
        n = ::read(ready_read.get(), &status, 1);
    } while (n < 0 && errno == EINTR);
    if (n != 1 || status != '1') throw Error("idmap: creating a user namespace failed");

    const std::string proc = "/proc/" + std::to_string(pid);
    write_file(proc + "/uid_map", format_map(uid_mappings));
    write_file(proc + "/gid_map", format_map(gid_mappings));
    return open_fd(proc + "/ns/user", O_RDONLY | O_CLOEXEC);
}

}  // namespace hull::bundle
