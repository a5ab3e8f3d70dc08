// The pure parts of the debian template: which apt source is the main archive, and the cache
// key that decides when a debootstrapped rootfs can be reused.
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "base/file.hpp"
#include "bundle/debian_template.hpp"
#include "support/temp_dir.hpp"

using namespace hull::bundle;

TEST_CASE("the main archive of a one-line sources.list", "[templates]") {
    CHECK(main_archive_in_list("deb http://deb.debian.org/debian bookworm main\n") ==
          "http://deb.debian.org/debian");
    CHECK(main_archive_in_list("# deb http://commented.example/debian bookworm main\n"
                               "deb-src http://src.example/debian bookworm main\n"
                               "deb http://security.debian.org/debian-security bookworm-security "
                               "main\n"
                               "deb [arch=amd64 signed-by=/k.gpg] http://mirror.example/debian/ "
                               "bookworm main contrib\n") == "http://mirror.example/debian/");
    CHECK(main_archive_in_list("deb https://packages.cloud.google.com/apt cloud-sdk main\n") == "");
    CHECK(main_archive_in_list("") == "");
}

TEST_CASE("the main archive of a deb822 .sources file", "[templates]") {
    // The layout of Debian 12's /etc/apt/sources.list.d/debian.sources.
    std::string text =
        "Types: deb\n"
        "# http://snapshot.debian.org/archive/debian/20250520T000000Z\n"
        "URIs: http://deb.debian.org/debian\n"
        "Suites: bookworm bookworm-updates\n"
        "Components: main\n"
        "\n"
        "Types: deb\n"
        "URIs: http://deb.debian.org/debian-security\n"
        "Suites: bookworm-security\n";
    CHECK(main_archive_in_sources(text) == "http://deb.debian.org/debian");
    // Security first, a disabled stanza, a deb-src stanza: the first enabled deb main archive.
    CHECK(main_archive_in_sources("Types: deb\nURIs: http://deb.debian.org/debian-security\n\n"
                                  "Types: deb\nURIs: http://off.example/debian\nEnabled: no\n\n"
                                  "Types: deb-src\nURIs: http://src.example/debian\n\n"
                                  "Types: deb deb-src\nURIs: http://a.example/ubuntu\n"
                                  " https://b.example/debian\nSuites: bookworm\n") ==
          "https://b.example/debian");
    CHECK(main_archive_in_sources("Types: deb\nURIs: https://deb.nodesource.com/node_20.x\n") ==
          "");
}

TEST_CASE("the host mirror: sources.list first, then sources.list.d in order, else deb.debian.org",
          "[templates]") {
    hull::test::TempDir apt("hull-apt");
    CHECK(host_debian_mirror(apt.path()) == "http://deb.debian.org/debian");
    REQUIRE(::mkdir((apt / "sources.list.d").c_str(), 0755) == 0);
    hull::write_file(apt / "sources.list.d/b.sources",
                     "Types: deb\nURIs: http://b.example/debian\n");
    hull::write_file(apt / "sources.list.d/a.list.disabled", "deb http://x.example/debian b m\n");
    hull::write_file(apt / "sources.list.d/a.list", "deb http://a.example/debian bookworm main\n");
    CHECK(host_debian_mirror(apt.path()) == "http://a.example/debian");
    hull::write_file(apt / "sources.list", "# empty\n");
    CHECK(host_debian_mirror(apt.path()) == "http://a.example/debian");
    hull::write_file(apt / "sources.list", "deb http://top.example/debian bookworm main\n");
    CHECK(host_debian_mirror(apt.path()) == "http://top.example/debian");
}

TEST_CASE("the cache key follows the package list", "[templates]") {
    DebianRecipe base;
    base.arch = "amd64";
    std::string key = debian_cache_key(base);
    CHECK(key.rfind("debian-bookworm-minbase-amd64-", 0) == 0);
    CHECK(debian_cache_key(base) == key);

    DebianRecipe reordered = base;
    reordered.include = {"dbus", "systemd-sysv", "dbus"};
    CHECK(debian_cache_key(reordered) == key);  // a set: order and duplicates do not matter

    DebianRecipe more = base;
    more.include.push_back("iproute2");
    CHECK(debian_cache_key(more) != key);
    DebianRecipe fewer = base;
    fewer.include = {"systemd-sysv"};
    CHECK(debian_cache_key(fewer) != key);
    DebianRecipe suite = base;
    suite.suite = "trixie";
    CHECK(debian_cache_key(suite) != key);
    DebianRecipe variant = base;
    variant.variant = "buildd";
    CHECK(debian_cache_key(variant) != key);
    DebianRecipe arch = base;
    arch.arch = "arm64";
    CHECK(debian_cache_key(arch) != key);
    // An empty arch means the host's.
    DebianRecipe host = base;
    host.arch.clear();
    CHECK(debian_cache_key(host) == debian_cache_key([] {
              DebianRecipe r;
              r.arch = debian_arch();
              return r;
          }()));
}
