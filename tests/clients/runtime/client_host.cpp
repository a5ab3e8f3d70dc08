#include "client_host.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "base/syscalls.hpp"
#include "support/busybox_bundle.hpp"

namespace hull::test::clients {

namespace {

std::runtime_error sys_error(const std::string& what) {
    return std::runtime_error(what + ": " + std::strerror(errno));
}

std::string link_target(const std::string& path) {
    char buf[4096];
    ssize_t n = ::readlink(path.c_str(), buf, sizeof buf - 1);
    return n < 0 ? "" : std::string(buf, static_cast<size_t>(n));
}

std::vector<std::string> dir_entries(const std::string& path, bool dirs_only = false) {
    std::vector<std::string> out;
    DIR* d = ::opendir(path.c_str());
    if (!d) return out;
    while (struct dirent* e = ::readdir(d)) {
        std::string n = e->d_name;
        if (n == "." || n == "..") continue;
        if (dirs_only && e->d_type != DT_DIR) continue;
        out.push_back(n);
    }
    ::closedir(d);
    return out;
}

// Every directory below `path` (not path itself), parents before children.
void walk_below(const std::string& path, std::vector<std::string>& out) {
    for (const auto& n : dir_entries(path, true)) {
        out.push_back(path + "/" + n);
        walk_below(path + "/" + n, out);
    }
}

// The roots of the mounted cgroup hierarchies: /sys/fs/cgroup itself on a cgroup2-only host,
// each of its directories (v1 controllers and the hybrid unified mount) otherwise.
std::vector<std::string> cgroup_hierarchies() {
    if (::access("/sys/fs/cgroup/cgroup.controllers", F_OK) == 0) return {"/sys/fs/cgroup"};
    std::vector<std::string> out;
    for (const auto& n : dir_entries("/sys/fs/cgroup", true))
        out.push_back("/sys/fs/cgroup/" + n);
    return out;
}

std::string cmdline(pid_t pid) {
    std::string s = read_text("/proc/" + std::to_string(pid) + "/cmdline");
    std::replace(s.begin(), s.end(), '\0', ' ');
    while (!s.empty() && s.back() == ' ')
        s.pop_back();
    return s;
}

// Process state letter from /proc/PID/stat ('\0' when the process is gone).
char proc_state(pid_t pid, pid_t* ppid = nullptr) {
    std::string stat = read_text("/proc/" + std::to_string(pid) + "/stat");
    auto close = stat.rfind(')');
    if (close == std::string::npos || close + 2 >= stat.size()) return '\0';
    if (ppid) *ppid = std::atoi(stat.c_str() + close + 4);
    return stat[close + 2];
}

bool in_cgroup_parent(pid_t pid, const std::string& parent) {
    if (parent.empty()) return false;
    std::stringstream lines(read_text("/proc/" + std::to_string(pid) + "/cgroup"));
    std::string line;
    while (std::getline(lines, line)) {
        auto colon = line.find(':', line.find(':') + 1);
        if (colon == std::string::npos) continue;
        std::string path = line.substr(colon + 1) + "/";
        if (path.find("/" + parent + "/") != std::string::npos) return true;
    }
    return false;
}

void write_file(const std::string& path, const std::string& text) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return;
    ssize_t ignored = ::write(fd, text.data(), text.size());
    (void)ignored;
    ::close(fd);
}

}  // namespace

std::string find_program(const std::string& name) {
    const char* env = std::getenv("PATH");
    std::string path = std::string(env ? env : "") + ":/usr/local/sbin:/usr/sbin:/sbin";
    std::stringstream dirs(path);
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
        if (dir.empty()) continue;
        std::string candidate = dir + "/" + name;
        if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    return "";
}

std::string require_program(const std::string& name, const std::string& package) {
    std::string path = find_program(name);
    if (path.empty())
        throw std::runtime_error(name + " not found: apt-get install " + package +
                                 " (.ci/run installs it)");
    return path;
}

bool wait_until(const std::function<bool()>& done, int seconds) {
    for (int i = 0; i < seconds * 20; ++i) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return done();
}

Daemon::Daemon(const std::vector<std::string>& argv, const std::string& log_path) {
    unique_fd log(::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
    if (!log) throw sys_error("open " + log_path);
    unique_fd null(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    if (!null) throw sys_error("open /dev/null");
    std::vector<char*> args;
    for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_ = ::fork();
    if (pid_ < 0) throw sys_error("fork for " + argv[0]);
    if (pid_ == 0) {
        // Its own process group: a signal meant for a command's group never reaches it.
        ::setpgid(0, 0);
        ::dup2(null.get(), 0);
        ::dup2(log.get(), 1);
        ::dup2(log.get(), 2);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    // No one else reaps our children in these tests, so the pid cannot be reused yet.
    pidfd_.reset(sys::pidfd_open(pid_));
    if (!pidfd_) {
        int err = errno;
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
        errno = err;
        throw sys_error("pidfd_open for " + argv[0]);
    }
}

Daemon::~Daemon() {
    stop();
}

bool Daemon::alive() const {
    if (pid_ < 0) return false;
    struct pollfd p {
        pidfd_.get(), POLLIN, 0
    };
    return ::poll(&p, 1, 0) == 0;
}

bool Daemon::stop() {
    if (pid_ < 0) return false;
    sys::pidfd_send_signal(pidfd_.get(), SIGTERM);
    struct pollfd p {
        pidfd_.get(), POLLIN, 0
    };
    bool on_term = ::poll(&p, 1, 30000) == 1;
    if (!on_term) sys::pidfd_send_signal(pidfd_.get(), SIGKILL);
    while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    pidfd_.reset();
    return on_term;
}

CommandResult run_on_pty(const std::vector<std::string>& argv, const CommandOptions& options) {
    unique_fd master(::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
    if (!master) throw sys_error("posix_openpt");
    if (::grantpt(master.get()) < 0 || ::unlockpt(master.get()) < 0) throw sys_error("unlockpt");
    char name[128];
    if (::ptsname_r(master.get(), name, sizeof name) != 0) throw sys_error("ptsname_r");
    struct winsize size {};
    size.ws_row = 24;
    size.ws_col = 80;
    ::ioctl(master.get(), TIOCSWINSZ, &size);
    std::vector<char*> args;
    for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = ::fork();
    if (pid < 0) throw sys_error("fork for " + argv[0]);
    if (pid == 0) {
        // A session leader that opens a terminal without O_NOCTTY makes it its controlling
        // terminal, as a login shell's is.
        ::setsid();
        int slave = ::open(name, O_RDWR);
        if (slave < 0) ::_exit(126);
        ::ioctl(slave, TIOCSCTTY, 0);
        ::dup2(slave, 0);
        ::dup2(slave, 1);
        ::dup2(slave, 2);
        if (slave > 2) ::close(slave);
        if (!options.cwd.empty() && ::chdir(options.cwd.c_str()) < 0) ::_exit(126);
        for (const auto& [k, v] : options.env)
            ::setenv(k.c_str(), v.c_str(), 1);
        ::execvp(args[0], args.data());
        ::_exit(127);
    }
    unique_fd pidfd(sys::pidfd_open(pid));
    if (!pidfd) {
        int err = errno;
        ::kill(-pid, SIGKILL);
        ::waitpid(pid, nullptr, 0);
        errno = err;
        throw sys_error("pidfd_open for " + argv[0]);
    }
    if (!options.input.empty()) {
        ssize_t ignored = ::write(master.get(), options.input.data(), options.input.size());
        (void)ignored;
    }
    ::fcntl(master.get(), F_SETFL, O_NONBLOCK);
    CommandResult result;
    auto drain = [&] {
        char buf[4096];
        for (;;) {
            ssize_t n = ::read(master.get(), buf, sizeof buf);
            if (n <= 0) return;  // EAGAIN: nothing yet; EIO: no one has the terminal open
            result.out.append(buf, static_cast<size_t>(n));
        }
    };
    struct timespec start {};
    ::clock_gettime(CLOCK_MONOTONIC, &start);
    bool killed = false;
    for (;;) {
        struct pollfd fds[2] = {{master.get(), POLLIN, 0}, {pidfd.get(), POLLIN, 0}};
        int n = ::poll(fds, 2, 1000);
        struct timespec now {};
        ::clock_gettime(CLOCK_MONOTONIC, &now);
        if (!killed && now.tv_sec - start.tv_sec > options.timeout_seconds) {
            ::kill(-pid, SIGKILL);
            killed = true;
        }
        if (n <= 0) continue;
        if (fds[0].revents & POLLIN) drain();
        if (fds[1].revents) break;
        // POLLHUP without data: the terminal has no other end any more; wait for the exit.
        if ((fds[0].revents & POLLHUP) && !(fds[0].revents & POLLIN))
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    drain();
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.status = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
    return result;
}

bool frozen(pid_t pid) {
    std::stringstream lines(read_text("/proc/" + std::to_string(pid) + "/cgroup"));
    std::string line, unified;
    while (std::getline(lines, line)) {
        auto first = line.find(':');
        auto second = line.find(':', first + 1);
        if (first == std::string::npos || second == std::string::npos) continue;
        std::string controllers = "," + line.substr(first + 1, second - first - 1) + ",";
        std::string path = line.substr(second + 1);
        if (controllers.find(",freezer,") != std::string::npos)
            return read_text("/sys/fs/cgroup/freezer" + path + "/freezer.state")
                       .rfind("FROZEN", 0) == 0;
        if (line.rfind("0::", 0) == 0) unified = path;
    }
    for (const char* mount : {"/sys/fs/cgroup/unified", "/sys/fs/cgroup"}) {
        std::string events = read_text(std::string(mount) + unified + "/cgroup.events");
        if (!events.empty()) return events.find("frozen 1") != std::string::npos;
    }
    return false;
}

ClientHost::ClientHost(const std::string& prefix) : tmp_(prefix) {
    // Image layers and bundles live here; container processes must reach them.
    ::chmod(tmp_.path().c_str(), 0755);
    before_ = HostSnapshot::take("");
}

ClientHost::~ClientHost() {
    force_cleanup(cleanup_scope_);
}

std::string ClientHost::suffix() const {
    return tmp_.path().substr(tmp_.path().rfind('-') + 1);
}

void ClientHost::watch_dir(const std::string& path) {
    auto entries = dir_entries(path);
    watched_.push_back({path, std::set<std::string>(entries.begin(), entries.end())});
}

std::vector<pid_t> ClientHost::our_processes(const Scope& scope) const {
    std::vector<pid_t> out;
    const std::string& tmp = tmp_.path();
    for (const auto& name : dir_entries("/proc", true)) {
        pid_t pid = std::atoi(name.c_str());
        if (pid <= 0 || pid == ::getpid()) continue;
        std::string base = "/proc/" + name;
        pid_t ppid = 0;
        char state = proc_state(pid, &ppid);
        if (state == '\0') continue;
        // A zombie is someone's to reap: ours only when we are its parent.
        if (state == 'Z') {
            if (ppid == ::getpid()) out.push_back(pid);
            continue;
        }
        // The containers' processes (rooted in the temp dir, or in the test's cgroups), the
        // clients' helpers (their command lines name the temp dir: shims, conmon, podman's
        // exit command) and hull processes of this build.
        bool ours = cmdline(pid).find(tmp) != std::string::npos ||
                    link_target(base + "/root").rfind(tmp, 0) == 0 ||
                    link_target(base + "/exe") == hull_binary() ||
                    in_cgroup_parent(pid, scope.cgroup_parent);
        if (ours) out.push_back(pid);
    }
    return out;
}

std::string ClientHost::report(const Scope& scope) const {
    std::string out;
    HostSnapshot now = HostSnapshot::take("");
    // Only mounts that name the temp dir: the rootfs of every container of the test is in
    // it, so a mount of a container that escaped to the host is below it too, and mounts
    // that other work on this host makes meanwhile are not this test's.
    for (const auto& m : now.mounts)
        if (!before_.mounts.count(m) && m.find(tmp_.path()) != std::string::npos)
            out += "mount left: " + m + "\n";
    for (pid_t pid : our_processes(scope)) {
        if (scope.daemons.count(pid)) continue;
        out += "process left: " + std::to_string(pid) + " " + cmdline(pid) + "\n";
    }
    if (!scope.hull_root.empty())
        for (const auto& e : dir_entries(scope.hull_root))
            if (scope.whole_root || scope.ids.count(e))
                out += "state left: " + scope.hull_root + "/" + e + "\n";
    if (!scope.cgroup_parent.empty()) {
        for (const auto& h : cgroup_hierarchies()) {
            std::string parent = h + "/" + scope.cgroup_parent;
            std::vector<std::string> below;
            walk_below(parent, below);
            for (const auto& c : below) {
                std::string rest = c.substr(parent.size() + 1);
                std::string child = rest.substr(0, rest.find('/'));
                if (!scope.client_cgroups.count(child)) out += "cgroup left: " + c + "\n";
            }
        }
    }
    for (const auto& [dir, before] : watched_)
        for (const auto& e : dir_entries(dir))
            if (!before.count(e)) out += "left in " + dir + ": " + e + "\n";
    return out;
}

std::string ClientHost::leaks(const Scope& scope) {
    std::string last;
    wait_until([&] {
        last = report(scope);
        return last.empty();
    });
    return last;
}

void ClientHost::force_cleanup(const Scope& scope) {
    std::vector<std::string> cgroups;
    if (!scope.cgroup_parent.empty()) {
        for (const auto& h : cgroup_hierarchies()) {
            std::string parent = h + "/" + scope.cgroup_parent;
            if (::access(parent.c_str(), F_OK) != 0) continue;
            cgroups.push_back(parent);
            walk_below(parent, cgroups);
        }
    }
    // A frozen process acts on SIGKILL only once thawed.
    for (const auto& c : cgroups) {
        write_file(c + "/freezer.state", "THAWED");
        write_file(c + "/cgroup.freeze", "0");
    }
    wait_until(
        [&] {
            auto left = our_processes(scope);
            for (pid_t pid : left) {
                if (proc_state(pid) == 'Z')
                    ::waitpid(pid, nullptr, WNOHANG);
                else
                    ::kill(pid, SIGKILL);
            }
            return left.empty();
        },
        20);
    // Deepest first, detached: a busy mount must not keep the temp dir from going.
    std::vector<std::string> mounts;
    std::stringstream info(read_text("/proc/self/mountinfo"));
    std::string line;
    while (std::getline(info, line)) {
        std::stringstream fields(line);
        std::string id, parent, dev, root, point;
        fields >> id >> parent >> dev >> root >> point;
        if (point.rfind(tmp_.path() + "/", 0) == 0) mounts.push_back(point);
    }
    std::sort(mounts.begin(), mounts.end(),
              [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    for (const auto& m : mounts)
        ::umount2(m.c_str(), MNT_DETACH);
    // Children before parents.
    for (auto it = cgroups.rbegin(); it != cgroups.rend(); ++it)
        ::rmdir(it->c_str());
}

void make_busybox_tar(const std::string& work_dir, const std::string& tar_path) {
    std::string rootfs = work_dir + "/busybox-rootfs";
    make_busybox_rootfs(rootfs);
    auto tar = run_command({"tar", "-C", rootfs, "-cf", tar_path, "."});
    if (tar.status != 0) throw std::runtime_error("tar of the busybox rootfs failed: " + tar.err);
}

}  // namespace hull::test::clients
