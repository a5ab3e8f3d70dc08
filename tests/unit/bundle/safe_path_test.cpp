#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>

#include "base/error.hpp"
#include "base/file.hpp"
#include "base/unique_fd.hpp"
#include "bundle/safe_path.hpp"
#include "support/temp_dir.hpp"

using hull::unique_fd;
using hull::bundle::make_mountpoint;
using hull::bundle::open_in_root;
using hull::bundle::try_open_in_root;

namespace {

struct Root {
    hull::test::TempDir outside{"hull-safe-path-outside"};
    hull::test::TempDir dir{"hull-safe-path"};
    unique_fd fd;
    Root() {
        fd = hull::open_fd(dir.path(), O_PATH | O_DIRECTORY);
        REQUIRE(::mkdir((dir / "etc").c_str(), 0755) == 0);
    }
};

// The device and inode of what fd refers to, to compare locations.
std::pair<dev_t, ino_t> id_of(int fd) {
    struct stat st;
    REQUIRE(::fstat(fd, &st) == 0);
    return {st.st_dev, st.st_ino};
}

std::pair<dev_t, ino_t> id_of(const std::string& path) {
    struct stat st;
    REQUIRE(::lstat(path.c_str(), &st) == 0);
    return {st.st_dev, st.st_ino};
}

}  // namespace

TEST_CASE("open_in_root re-roots absolute symlinks", "[bundle][safe_path]") {
    Root root;
    REQUIRE(::symlink("/etc", (root.dir / "link").c_str()) == 0);
    unique_fd fd = open_in_root(root.fd.get(), "/link", O_PATH);
    CHECK(id_of(fd.get()) == id_of(root.dir / "etc"));
    CHECK(id_of(fd.get()) != id_of("/etc"));
}

TEST_CASE("open_in_root clamps .. at the root", "[bundle][safe_path]") {
    Root root;
    REQUIRE(::symlink("../../../../../../../..", (root.dir / "up").c_str()) == 0);
    unique_fd fd = open_in_root(root.fd.get(), "/up/etc", O_PATH);
    CHECK(id_of(fd.get()) == id_of(root.dir / "etc"));
    unique_fd fd2 = open_in_root(root.fd.get(), "../../etc", O_PATH);
    CHECK(id_of(fd2.get()) == id_of(root.dir / "etc"));
}

TEST_CASE("open_in_root refuses magic links", "[bundle][safe_path]") {
    Root root;
    REQUIRE(::symlink("/proc/self/root", (root.dir / "magic").c_str()) == 0);
    // Inside the root there is no /proc: the lookup fails instead of reaching the host.
    CHECK_THROWS_AS(open_in_root(root.fd.get(), "/magic/etc", O_PATH), hull::Error);
}

TEST_CASE("try_open_in_root: missing is an invalid fd, other errors throw", "[bundle][safe_path]") {
    Root root;
    CHECK_FALSE(try_open_in_root(root.fd.get(), "/nope", O_PATH).valid());
    hull::write_file(root.dir / "file", "x");
    CHECK_THROWS_AS(try_open_in_root(root.fd.get(), "/file/below", O_PATH), hull::Error);
    CHECK(try_open_in_root(root.fd.get(), "/file", O_PATH).valid());
}

TEST_CASE("make_mountpoint creates parents and the target", "[bundle][safe_path]") {
    Root root;
    unique_fd d = make_mountpoint(root.fd.get(), "/a/b/c", true);
    struct stat st;
    REQUIRE(::stat((root.dir / "a/b/c").c_str(), &st) == 0);
    CHECK(S_ISDIR(st.st_mode));
    CHECK(id_of(d.get()) == id_of(root.dir / "a/b/c"));

    unique_fd f = make_mountpoint(root.fd.get(), "x/y/file", false);
    REQUIRE(::stat((root.dir / "x/y/file").c_str(), &st) == 0);
    CHECK(S_ISREG(st.st_mode));
    CHECK(st.st_size == 0);

    // Existing targets are reused.
    unique_fd again = make_mountpoint(root.fd.get(), "/a/b/c", true);
    CHECK(id_of(again.get()) == id_of(d.get()));
    unique_fd r = make_mountpoint(root.fd.get(), "/", true);
    CHECK(id_of(r.get()) == id_of(root.dir.path()));
}

TEST_CASE("make_mountpoint through a symlink to a host path stays inside", "[bundle][safe_path]") {
    Root root;
    // /escape -> <outside dir> (absolute), whose name also exists inside the root.
    const std::string outside = root.outside.path();
    REQUIRE(::symlink(outside.c_str(), (root.dir / "escape").c_str()) == 0);
    REQUIRE(::mkdir((root.dir / "tmp").c_str(), 0755) == 0);
    REQUIRE(::mkdir((root.dir.path() + outside).c_str(), 0755) == 0);
    unique_fd fd = make_mountpoint(root.fd.get(), "/escape/new", true);
    CHECK(::access((outside + "/new").c_str(), F_OK) != 0);
    CHECK(::access((root.dir.path() + outside + "/new").c_str(), F_OK) == 0);
    CHECK(id_of(fd.get()) == id_of(root.dir.path() + outside + "/new"));
}

TEST_CASE("make_mountpoint refuses a dangling symlink and type mismatches", "[bundle][safe_path]") {
    Root root;
    const std::string outside = root.outside.path();
    // The target exists on the host only: nothing may be created there.
    REQUIRE(::symlink((outside + "/target").c_str(), (root.dir / "dangling").c_str()) == 0);
    CHECK_THROWS_AS(make_mountpoint(root.fd.get(), "/dangling", true), hull::Error);
    CHECK_THROWS_AS(make_mountpoint(root.fd.get(), "/dangling", false), hull::Error);
    CHECK(::access((outside + "/target").c_str(), F_OK) != 0);

    hull::write_file(root.dir / "file", "x");
    CHECK_THROWS_WITH(make_mountpoint(root.fd.get(), "/file", true),
                      Catch::Contains("not a directory"));
    CHECK_THROWS_WITH(make_mountpoint(root.fd.get(), "/file/sub", true),
                      Catch::Contains("not a directory"));
    CHECK_THROWS_WITH(make_mountpoint(root.fd.get(), "/etc", false),
                      Catch::Contains("is a directory"));
}
