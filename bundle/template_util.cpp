#include "bundle/template_util.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "base/error.hpp"
#include "base/file.hpp"
#include "base/unique_fd.hpp"

extern char** environ;

namespace hull::bundle {

namespace {

bool remove_at(int parent, const char* name, dev_t dev) noexcept {
    struct stat st {};
    if (::fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) < 0) return errno == ENOENT;
    if (!S_ISDIR(st.st_mode)) return ::unlinkat(parent, name, 0) == 0;
    if (st.st_dev != dev) return false;  // a mount point: never descend
    int fd = ::openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return false;
    DIR* dir = ::fdopendir(fd);  // owns fd from here
    if (!dir) {
        ::close(fd);
        return false;
    }
    bool ok = true;
    while (struct dirent* e = ::readdir(dir)) {
        if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
        ok = remove_at(::dirfd(dir), e->d_name, dev) && ok;
    }
    ::closedir(dir);
    return ::unlinkat(parent, name, AT_REMOVEDIR) == 0 && ok;
}

// Keeps the last `limit` bytes written to it, starting at a line.
class Tail {
  public:
    explicit Tail(size_t limit) : limit_(limit) {}
    void append(const char* data, size_t n) {
        text_.append(data, n);
        if (text_.size() > 2 * limit_) text_.erase(0, text_.size() - limit_);
    }
    std::string text() const {
        std::string t = text_.size() > limit_ ? text_.substr(text_.size() - limit_) : text_;
        if (text_.size() > limit_) {
            size_t nl = t.find('\n');
            if (nl != std::string::npos) t.erase(0, nl + 1);
        }
        while (!t.empty() && (t.back() == '\n' || t.back() == ' '))
            t.pop_back();
        return t;
    }

  private:
    size_t limit_;
    std::string text_;
};

}  // namespace

void make_dirs(const std::string& path, mode_t mode) {
    for (size_t pos = 1; pos != std::string::npos;) {
        pos = path.find('/', pos + 1);
        std::string part = path.substr(0, pos);
        if (part.empty()) continue;
        if (::mkdir(part.c_str(), mode) < 0 && errno != EEXIST) throw_errno("mkdir " + part);
    }
}

bool remove_tree(const std::string& path) noexcept {
    struct stat st {};
    if (::lstat(path.c_str(), &st) < 0) return errno == ENOENT;
    return remove_at(AT_FDCWD, path.c_str(), st.st_dev);
}

std::string find_in_path(const std::string& name) {
    if (name.find('/') != std::string::npos) return ::access(name.c_str(), X_OK) == 0 ? name : "";
    const char* env = std::getenv("PATH");
    std::string path = env ? env : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    for (size_t start = 0; start <= path.size();) {
        size_t end = path.find(':', start);
        if (end == std::string::npos) end = path.size();
        std::string dir = path.substr(start, end - start);
        start = end + 1;
        if (dir.empty()) continue;
        std::string candidate = dir + "/" + name;
        struct stat st {};
        if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
            ::access(candidate.c_str(), X_OK) == 0)
            return candidate;
    }
    return "";
}

void run_program(const std::vector<std::string>& argv, const std::string& what,
                 const ProgramOptions& options) {
    if (argv.empty()) throw Error(what + ": no program");
    std::string exe = find_in_path(argv[0]);
    if (exe.empty()) throw Error(what + ": " + argv[0] + " not found in PATH");
    // Everything the child needs is built before fork: after it, only system calls.
    std::vector<char*> args;
    for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);

    int pipefd[2] = {-1, -1};
    if (options.capture_stderr && ::pipe2(pipefd, O_CLOEXEC) < 0) throw_errno(what + ": pipe");
    unique_fd read_end(pipefd[0]), write_end(pipefd[1]);

    pid_t parent = ::getpid();
    pid_t pid = ::fork();
    if (pid < 0) throw_errno(what + ": fork");
    if (pid == 0) {
        // A killed `hull bundle new` takes its debootstrap with it: an orphan would go on
        // writing into a temp dir that the next builder removes as stale.
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) ::_exit(125);
        if (options.private_mounts) {
            if (::unshare(CLONE_NEWNS) < 0 ||
                ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) < 0)
                ::_exit(126);
        }
        if (write_end) {
            // stdout as well: the caller's stdout carries its own result.
            ::dup2(write_end.get(), 1);
            ::dup2(write_end.get(), 2);
        }
        ::execve(exe.c_str(), args.data(), environ);
        ::_exit(127);
    }
    write_end.reset();
    Tail tail(1500);
    if (read_end) {
        char buf[4096];
        for (;;) {
            ssize_t n = ::read(read_end.get(), buf, sizeof buf);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            tail.append(buf, static_cast<size_t>(n));
        }
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) throw_errno(what + ": waitpid");
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return;
    std::string how = WIFEXITED(status)
                          ? "exited with status " + std::to_string(WEXITSTATUS(status))
                          : "killed by signal " + std::to_string(WTERMSIG(status));
    if (WIFEXITED(status) && WEXITSTATUS(status) == 126 && options.private_mounts)
        how += " (or could not make a private mount namespace)";
    std::string out = tail.text();
    throw Error(what + ": " + argv[0] + " " + how + (out.empty() ? "" : ":\n" + out));
}

std::string fnv1a_hex(const std::string& data) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : data) {
        h ^= c;
        h *= 0x100000001b3ULL;
    }
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

std::string make_staging_dir(const std::string& final_path) {
    size_t slash = final_path.rfind('/');
    std::string parent = slash == std::string::npos ? "." : final_path.substr(0, slash);
    std::string name = slash == std::string::npos ? final_path : final_path.substr(slash + 1);
    if (parent.empty()) parent = "/";
    std::string tmpl = parent + "/." + name + ".tmp-XXXXXX";
    if (!::mkdtemp(tmpl.data())) throw_errno("mkdtemp " + tmpl);
    return tmpl;
}

}  // namespace hull::bundle
