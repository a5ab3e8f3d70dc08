// <root>/<id>/: the only place a container's existence is recorded.
// The directory is born locked (made under a temporary name, flock'ed, then renamed into
// place with RENAME_NOREPLACE), so two creates of one id cannot both succeed and no other
// command ever sees a half-made container unlocked. Every command holds the flock for its
// whole run, which serializes commands on one container.
#pragma once

#include <string>
#include <vector>

#include "base/unique_fd.hpp"

namespace hull::runtime {

class ContainerDir {
  public:
    // Makes <root>/<id> (and root itself, mode 0700), locked. Throws
    // "container with id exists: ID" when it is taken.
    static ContainerDir create(const std::string& root, const std::string& id);
    // Opens and locks an existing container. Throws "container does not exist: ID".
    static ContainerDir open(const std::string& root, const std::string& id);

    const std::string& path() const { return path_; }
    const std::string& id() const { return id_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }
    int fd() const { return fd_.get(); }

    // Releases the lock early, e.g. before waiting on a long-running process.
    void unlock() { fd_.reset(); }

    // Removes every file in the directory and the directory itself.
    void remove();

  private:
    ContainerDir(std::string path, std::string id, unique_fd fd)
        : path_(std::move(path)), id_(std::move(id)), fd_(std::move(fd)) {}

    std::string path_;
    std::string id_;
    unique_fd fd_;  // O_DIRECTORY, holds the flock
};

// Ids of every container directory under root (entries that are not ours are skipped).
std::vector<std::string> list_container_ids(const std::string& root);

}  // namespace hull::runtime
