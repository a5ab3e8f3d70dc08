#include "base/file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "base/error.hpp"

namespace hull {

namespace {

std::string read_all(int fd, const std::string& path) {
    std::string out;
    char buf[8192];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw_errno("read " + path);
        }
        if (n == 0) break;
        out.append(buf, static_cast<size_t>(n));
    }
    return out;
}

}  // namespace

unique_fd open_fd(const std::string& path, int flags, int mode) {
    int fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
    if (fd < 0) throw_errno("open " + path);
    return unique_fd(fd);
}

std::string read_fd(int fd, const std::string& what) {
    return read_all(fd, what);
}

std::string read_file(const std::string& path) {
    unique_fd fd = open_fd(path, O_RDONLY);
    return read_all(fd.get(), path);
}

std::optional<std::string> read_file_if_exists(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) return std::nullopt;
    if (fd < 0) throw_errno("open " + path);
    unique_fd owned(fd);
    return read_all(owned.get(), path);
}

std::string read_file_at(int dirfd, const std::string& path) {
    int fd = ::openat(dirfd, path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw_errno("open " + path);
    unique_fd owned(fd);
    return read_all(owned.get(), path);
}

void write_all(int fd, const std::string& data, const std::string& what) {
    size_t off = 0;
    while (off < data.size()) {
        ssize_t n = ::write(fd, data.data() + off, data.size() - off);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw_errno("write " + what);
        }
        off += static_cast<size_t>(n);
    }
}

void write_file(const std::string& path, const std::string& data, int mode) {
    unique_fd fd = open_fd(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    write_all(fd.get(), data, path);
}

void write_file_atomic(const std::string& path, const std::string& data, int mode) {
    std::string tmp = path + ".tmp";
    try {
        write_file(tmp, data, mode);
        if (::rename(tmp.c_str(), path.c_str()) < 0) throw_errno("rename " + tmp + " to " + path);
    } catch (...) {
        ::unlink(tmp.c_str());
        throw;
    }
}

}  // namespace hull
