// Small whole-file helpers used across modules.
#pragma once

#include <optional>
#include <string>

#include "base/unique_fd.hpp"

namespace hull {

// Reads a whole file; throws Error naming the path on failure.
std::string read_file(const std::string& path);
std::string read_file_at(int dirfd, const std::string& path);
// Reads a whole file, or nullopt when it does not exist (ENOENT): for files whose absence is
// a normal answer, without the cost of throwing. Other failures throw as read_file does.
std::optional<std::string> read_file_if_exists(const std::string& path);
// Reads an open fd to its end; `what` names it in errors.
std::string read_fd(int fd, const std::string& what);

// Writes data to path (O_TRUNC|O_CREAT); throws Error naming the path.
void write_file(const std::string& path, const std::string& data, int mode = 0644);

// Writes a file so that readers see either the old or the new content: temp file,
// fsync-free rename (state lives on tmpfs, so durability across crashes is moot).
void write_file_atomic(const std::string& path, const std::string& data, int mode = 0644);

// Writes all of data to fd, retrying on EINTR and short writes.
void write_all(int fd, const std::string& data, const std::string& what);

// open(2) returning unique_fd; throws Error naming the path.
unique_fd open_fd(const std::string& path, int flags, int mode = 0);

}  // namespace hull
