#include "runtime/container_dir.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>

#include "base/error.hpp"

namespace hull::runtime {

namespace {

void make_root(const std::string& root) {
    // mkdir -p, each component 0700: the state may hold secrets (config, console logs).
    std::string partial;
    size_t pos = 0;
    while (pos != std::string::npos) {
        pos = root.find('/', pos + 1);
        partial = root.substr(0, pos);
        if (partial.empty()) continue;
        if (::mkdir(partial.c_str(), 0700) < 0 && errno != EEXIST)
            throw_errno("create state root " + partial);
    }
    struct stat st {};
    if (::stat(root.c_str(), &st) < 0) throw_errno("state root " + root);
    if (!S_ISDIR(st.st_mode)) throw Error("state root " + root + " is not a directory");
}

unique_fd lock_dir(const std::string& path) {
    unique_fd fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW));
    if (!fd) return {};
    while (::flock(fd.get(), LOCK_EX) < 0) {
        if (errno != EINTR) throw_errno("lock " + path);
    }
    return fd;
}

void remove_tree_at(int dirfd) {
    // State dirs hold plain files only; anything else is left and reported by rmdir.
    int dup = ::fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
    if (dup < 0) throw_errno("dup state dir fd");
    DIR* dir = ::fdopendir(dup);
    if (!dir) {
        ::close(dup);
        throw_errno("read state dir");
    }
    while (struct dirent* e = ::readdir(dir)) {
        std::string name = e->d_name;
        if (name == "." || name == "..") continue;
        if (::unlinkat(dirfd, name.c_str(), 0) < 0 && errno == EISDIR) {
            int sub =
                ::openat(dirfd, name.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
            if (sub >= 0) {
                unique_fd subfd(sub);
                remove_tree_at(subfd.get());
            }
            ::unlinkat(dirfd, name.c_str(), AT_REMOVEDIR);
        }
    }
    ::closedir(dir);
}

// A create killed between mkdtemp and the rename leaves a ".creating-" directory. Its lock
// died with it: whoever can take the lock may remove it.
void sweep_abandoned(const std::string& root) {
    DIR* dir = ::opendir(root.c_str());
    if (!dir) return;
    std::vector<std::string> stale;
    while (struct dirent* e = ::readdir(dir)) {
        std::string name = e->d_name;
        if (name.rfind(".creating-", 0) == 0) stale.push_back(root + "/" + name);
    }
    ::closedir(dir);
    for (const auto& path : stale) {
        unique_fd fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW));
        if (!fd || ::flock(fd.get(), LOCK_EX | LOCK_NB) < 0) continue;
        remove_tree_at(fd.get());
        ::rmdir(path.c_str());
    }
}

}  // namespace

ContainerDir ContainerDir::create(const std::string& root, const std::string& id) {
    make_root(root);
    sweep_abandoned(root);
    // Another create's sweep may remove our directory between mkdtemp and flock (it looks
    // abandoned for that instant); then we simply make another.
    std::string tmpl;
    unique_fd fd;
    for (int attempt = 0; attempt < 5 && !fd; ++attempt) {
        tmpl = root + "/.creating-" + id + "-XXXXXX";
        if (!::mkdtemp(tmpl.data())) throw_errno("create state dir in " + root);
        fd = lock_dir(tmpl);
        struct stat st {};
        if (fd && (::fstat(fd.get(), &st) < 0 || st.st_nlink == 0)) fd.reset();
    }
    if (!fd) throw_errno("open state dir " + tmpl);
    // 0711: init, once it is root of a user namespace (another host uid), must still reach
    // exec.fifo by name; nothing in the directory is readable to others.
    if (::fchmod(fd.get(), 0711) < 0) {
        ::rmdir(tmpl.c_str());
        throw_errno("chmod state dir " + tmpl);
    }
    std::string path = root + "/" + id;
    if (::renameat2(AT_FDCWD, tmpl.c_str(), AT_FDCWD, path.c_str(), RENAME_NOREPLACE) < 0) {
        int err = errno;
        ::rmdir(tmpl.c_str());
        if (err == EEXIST || err == ENOTEMPTY) throw Error("container with id exists: " + id, err);
        throw_errno("create state dir " + path, err);
    }
    return ContainerDir(path, id, std::move(fd));
}

ContainerDir ContainerDir::open(const std::string& root, const std::string& id) {
    std::string path = root + "/" + id;
    unique_fd fd = lock_dir(path);
    // A delete may have removed the directory while we waited for the lock.
    struct stat st {};
    if (!fd || ::fstat(fd.get(), &st) < 0 || st.st_nlink == 0)
        throw Error("container does not exist: " + id, ENOENT);
    return ContainerDir(path, id, std::move(fd));
}

void ContainerDir::remove() {
    remove_tree_at(fd_.get());
    if (::rmdir(path_.c_str()) < 0 && errno != ENOENT) throw_errno("remove " + path_);
}

std::vector<std::string> list_container_ids(const std::string& root) {
    std::vector<std::string> ids;
    DIR* dir = ::opendir(root.c_str());
    if (!dir) {
        if (errno == ENOENT) return ids;
        throw_errno("read state root " + root);
    }
    while (struct dirent* e = ::readdir(dir)) {
        std::string name = e->d_name;
        if (name.empty() || name[0] == '.') continue;
        if (e->d_type != DT_DIR && e->d_type != DT_UNKNOWN) continue;
        ids.push_back(name);
    }
    ::closedir(dir);
    std::sort(ids.begin(), ids.end());
    return ids;
}

}  // namespace hull::runtime
