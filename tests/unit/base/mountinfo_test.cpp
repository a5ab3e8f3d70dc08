#include "base/mountinfo.hpp"

#include <catch2/catch.hpp>

TEST_CASE("mountinfo: ids, escaped paths, optional fields and the fields after the dash") {
    auto mounts = hull::parse_mountinfo(
        "22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw\n"
        "48 22 0:41 /sub /tmp/a\\040b rw,relatime - tmpfs my\\040src rw,size=64k\n"
        "bad line\n"
        "49 48 0:42 / /x rw - proc\n");
    REQUIRE(mounts.size() == 2);
    CHECK(mounts[0].id == 22);
    CHECK(mounts[0].mountpoint == "/");
    CHECK(mounts[0].fstype == "ext4");
    CHECK(mounts[1].id == 48);
    CHECK(mounts[1].root == "/sub");
    CHECK(mounts[1].mountpoint == "/tmp/a b");
    CHECK(mounts[1].source == "my\\040src");
    CHECK(mounts[1].super_options == "rw,size=64k");
    CHECK(hull::unescape_mountinfo_path("\\134\\011x\\0") == "\\\tx\\0");
}
