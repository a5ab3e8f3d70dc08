// The two protected copies that hull re-executes from (CVE-2019-5736), checked on a plain
// file: whoever gets hold of the copy cannot change the file behind it.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <fstream>

#include "base/file.hpp"
#include "runtime/security/self_exe.hpp"
#include "support/temp_dir.hpp"

namespace sec = hull::security;

namespace {

// Reopens the file behind fd for writing, as a container would through /proc/<pid>/exe.
int reopen_for_writing(int fd, int flags) {
    return ::open(("/proc/self/fd/" + std::to_string(fd)).c_str(), flags | O_CLOEXEC);
}

}  // namespace

TEST_CASE("a read-only bind of a binary cannot be written through", "[security][self_exe]") {
    hull::test::TempDir dir("hull-exe");
    const std::string file = dir / "binary";
    hull::write_file(file, "original");
    hull::unique_fd copy = sec::protected_copy(file, sec::ExeCopy::read_only_bind);
    CHECK(sec::cannot_be_written(copy.get()));
    errno = 0;
    CHECK(reopen_for_writing(copy.get(), O_WRONLY) == -1);
    CHECK(errno == EROFS);
    CHECK(hull::read_file(file) == "original");
    // The file itself, on its own writable mount, stays writable: only the copy is protected.
    hull::unique_fd plain(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
    CHECK_FALSE(sec::cannot_be_written(plain.get()));
}

TEST_CASE("a sealed memfd copy cannot be written, grown or truncated", "[security][self_exe]") {
    hull::test::TempDir dir("hull-exe");
    const std::string file = dir / "binary";
    hull::write_file(file, "original");
    hull::unique_fd copy = sec::protected_copy(file, sec::ExeCopy::sealed_memfd);
    CHECK(sec::cannot_be_written(copy.get()));
    hull::unique_fd writable(reopen_for_writing(copy.get(), O_WRONLY));
    REQUIRE(writable);
    errno = 0;
    CHECK(::write(writable.get(), "x", 1) == -1);
    CHECK(errno == EPERM);
    CHECK(::ftruncate(writable.get(), 0) == -1);
    CHECK(reopen_for_writing(copy.get(), O_WRONLY | O_TRUNC) == -1);
    CHECK(hull::read_file("/proc/self/fd/" + std::to_string(copy.get())) == "original");
}

TEST_CASE("the test binary itself is not protected, hull re-executes when it is not",
          "[security][self_exe]") {
    // The build tree is writable, so this process's /proc/self/exe is exactly what hull must
    // never leave within a container's reach.
    CHECK_FALSE(sec::self_exe_is_protected());
}
