// ConsoleRing: what a system container's console remembers, and what a late attacher sees.
#include "runtime/system/console_ring.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "console_test_util.hpp"

using hull::system_container::ConsoleRing;

namespace {

std::string numbered_lines(int from, int to) {
    return hull::test::console::numbered_lines("line ", from, to);
}

}  // namespace

TEST_CASE("console ring keeps everything until it is full") {
    ConsoleRing ring(16);
    CHECK(ring.capacity() == 16);
    CHECK(ring.contents().empty());
    ring.append("hello ");
    ring.append("world");
    CHECK(ring.contents() == "hello world");
}

TEST_CASE("console ring keeps the last capacity bytes across wrap-around") {
    ConsoleRing ring(10);
    ring.append("0123456");
    ring.append("789ab");  // wraps
    CHECK(ring.contents() == "23456789ab");
    ring.append("cdefghijklmnop");  // one write bigger than the ring
    CHECK(ring.contents() == "ghijklmnop");
    for (char c : std::string("qrstu"))
        ring.append(std::string(1, c));
    CHECK(ring.contents() == "lmnopqrstu");
    ring.append("");
    CHECK(ring.contents() == "lmnopqrstu");
}

TEST_CASE("console ring of capacity 0 or 1") {
    ConsoleRing none(0);
    none.append("abc");
    CHECK(none.contents().empty());
    CHECK(none.recent(10, 100).empty());
    ConsoleRing one(1);
    one.append("abc");
    CHECK(one.contents() == "c");
    one.append("d");
    CHECK(one.contents() == "d");
    CHECK(one.recent(1, 10) == "d");  // one long line cut by the ring: its tail beats nothing
    one.append("\n");
    CHECK(one.recent(1, 10) == "\n");
}

TEST_CASE("recent gives the last lines, from a line start") {
    ConsoleRing ring(1024);
    ring.append(numbered_lines(1, 10));
    CHECK(ring.recent(3, 1024) == numbered_lines(8, 10));
    CHECK(ring.recent(10, 1024) == numbered_lines(1, 10));
    CHECK(ring.recent(50, 1024) == numbered_lines(1, 10));  // the stream's start is a line start
    CHECK(ring.recent(0, 1024).empty());
    // A line still being written counts as the last one.
    ring.append("prompt# ");
    CHECK(ring.recent(2, 1024) == "line 10\nprompt# ");
}

TEST_CASE("recent is capped in bytes and then drops the partial first line") {
    ConsoleRing ring(1024);
    ring.append(numbered_lines(1, 10));  // "line 10\n" is 8 bytes, the others 7
    // 20 bytes end with "ne 8\nline 9\nline 10\n": the partial "ne 8" goes.
    CHECK(ring.recent(100, 20) == numbered_lines(9, 10));
    // Cut exactly at a line start: nothing is dropped.
    CHECK(ring.recent(100, 15) == numbered_lines(9, 10));
    // One long line and no line start inside the cap: the raw tail.
    ring.append(std::string(200, 'x'));
    CHECK(ring.recent(5, 50) == std::string(50, 'x'));
    CHECK(ring.recent(0, 50).empty());
    CHECK(ring.recent(5, 0).empty());
}

TEST_CASE("recent after the ring wrapped never starts mid-line") {
    ConsoleRing ring(100);
    ring.append(numbered_lines(1, 100));
    std::string all = ring.contents();
    REQUIRE(all.size() == 100);
    std::string r = ring.recent(1000, 1000);
    // The ring's oldest byte is mid-line: recent starts at the first full line it holds.
    CHECK(r.rfind("line ", 0) == 0);
    CHECK(all.size() - r.size() < 9);
    CHECK(all.substr(all.size() - r.size()) == r);
    CHECK(ring.recent(2, 1000) == numbered_lines(99, 100));
}
