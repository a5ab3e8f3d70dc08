#include "base/mountinfo.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>
#include <string>

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

TEST_CASE("mountinfo: every line of this process's own table, the last one without a newline") {
    std::ifstream file("/proc/self/mountinfo");
    std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    REQUIRE(!text.empty());
    const auto lines = std::count(text.begin(), text.end(), '\n');
    auto mounts = hull::parse_mountinfo(text);
    CHECK(static_cast<long>(mounts.size()) == lines);
    text.pop_back();  // the trailing newline
    CHECK(hull::parse_mountinfo(text).size() == mounts.size());
    for (const auto& m : mounts) {
        CHECK(m.id > 0);
        CHECK(m.mountpoint.front() == '/');
        CHECK(!m.fstype.empty());
    }
}
