#include "runtime/cgroups/hierarchy.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <sstream>

#include "base/error.hpp"
#include "base/file.hpp"
#include "base/unique_fd.hpp"

namespace hull::cgroups {

bool Hierarchy::has(const std::string& controller) const {
    return std::find(controllers.begin(), controllers.end(), controller) != controllers.end();
}

void make_dirs(Hierarchy& h) {
    if (h.dir.rfind(h.mountpoint + "/", 0) != 0) {
        throw Error("cgroup " + h.dir + " is not below " + h.mountpoint);
    }
    for (int attempt = 0;; ++attempt) {
        std::string path = h.mountpoint;
        std::istringstream rest(h.dir.substr(h.mountpoint.size()));
        std::string part;
        bool raced = false;
        while (std::getline(rest, part, '/')) {
            if (part.empty()) continue;
            path += "/" + part;
            if (::mkdir(path.c_str(), 0755) == 0) {
                if (std::find(h.created.begin(), h.created.end(), path) == h.created.end()) {
                    h.created.push_back(path);
                }
                continue;
            }
            if (errno == EEXIST) continue;
            if (errno == ENOENT && attempt < 3) {
                raced = true;
                break;
            }
            throw_errno("mkdir cgroup " + path);
        }
        if (!raced) return;
    }
}

bool file_exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

void write_control(const std::string& path, const std::string& value, const std::string& field) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
        int err = errno;
        if (err == ENOENT) {
            throw Error(field + ": " + path +
                            " does not exist (the controller is not available for this cgroup)",
                        err);
        }
        throw Error(field + ": open " + path + ": " + std::strerror(err), err);
    }
    unique_fd owned(fd);
    ssize_t n;
    do {
        n = ::write(owned.get(), value.data(), value.size());
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        int err = errno;
        throw Error(field + ": write \"" + value + "\" to " + path + ": " + std::strerror(err),
                    err);
    }
}

std::string read_control(const std::string& path) {
    std::string s = read_file(path);
    while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
        s.pop_back();
    return s;
}

std::uint64_t read_u64(const std::string& path, std::uint64_t max_value) {
    if (!file_exists(path)) return 0;
    std::string s = read_control(path);
    if (s == "max") return max_value;
    try {
        return std::stoull(s);
    } catch (const std::exception&) {
        throw Error("parse " + path + ": \"" + s + "\" is not a number");
    }
}

namespace {

struct DirCloser {
    void operator()(DIR* d) const { ::closedir(d); }
};

std::vector<std::string> subdirs(const std::string& dir) {
    std::vector<std::string> out;
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) return out;
        throw_errno("open cgroup " + dir);
    }
    std::unique_ptr<DIR, DirCloser> d(::fdopendir(fd));
    if (!d) {
        int err = errno;
        ::close(fd);  // fdopendir failed, so the fd is still ours alone
        throw_errno("fdopendir " + dir, err);
    }
    while (dirent* e = ::readdir(d.get())) {
        std::string name = e->d_name;
        if (name == "." || name == "..") continue;
        if (e->d_type == DT_DIR) out.push_back(dir + "/" + name);
    }
    return out;
}

}  // namespace

std::vector<pid_t> procs_recursive(const std::string& dir) {
    std::vector<pid_t> out;
    std::string text;
    try {
        text = read_file(dir + "/cgroup.procs");
    } catch (const Error& e) {
        if (e.code() == ENOENT) return out;
        throw;
    }
    std::istringstream in(text);
    pid_t pid;
    while (in >> pid)
        out.push_back(pid);
    for (const auto& sub : subdirs(dir)) {
        auto more = procs_recursive(sub);
        out.insert(out.end(), more.begin(), more.end());
    }
    return out;
}

void remove_tree(const std::string& dir) {
    for (const auto& sub : subdirs(dir))
        remove_tree(sub);
    if (::rmdir(dir.c_str()) < 0 && errno != ENOENT) throw_errno("rmdir cgroup " + dir);
}

void remove_if_empty(const std::string& dir) {
    if (::rmdir(dir.c_str()) < 0 && errno != ENOENT && errno != EBUSY && errno != ENOTEMPTY) {
        throw_errno("rmdir cgroup " + dir);
    }
}

}  // namespace hull::cgroups
