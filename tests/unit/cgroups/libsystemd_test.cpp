#include <catch2/catch.hpp>

#include "runtime/cgroups/libsystemd.hpp"
#include "runtime/cgroups/sd_bus_handles.hpp"
#include "support/command.hpp"

using namespace hull::cgroups;

TEST_CASE("libsystemd: loaded on first use with every sd-bus function hull calls",
          "[cgroups][systemd]") {
    const LibSystemd& lib = libsystemd();
    CHECK(&lib == &libsystemd());
    for (auto* function : {reinterpret_cast<void*>(lib.bus_new),
                           reinterpret_cast<void*>(lib.set_address),
                           reinterpret_cast<void*>(lib.start),
                           reinterpret_cast<void*>(lib.open_system),
                           reinterpret_cast<void*>(lib.flush_close_unref),
                           reinterpret_cast<void*>(lib.process),
                           reinterpret_cast<void*>(lib.wait),
                           reinterpret_cast<void*>(lib.call),
                           reinterpret_cast<void*>(lib.call_method),
                           reinterpret_cast<void*>(lib.get_property_string),
                           reinterpret_cast<void*>(lib.match_signal),
                           reinterpret_cast<void*>(lib.slot_unref),
                           reinterpret_cast<void*>(lib.message_new_method_call),
                           reinterpret_cast<void*>(lib.message_unref),
                           reinterpret_cast<void*>(lib.message_append),
                           reinterpret_cast<void*>(lib.message_append_array),
                           reinterpret_cast<void*>(lib.message_open_container),
                           reinterpret_cast<void*>(lib.message_close_container),
                           reinterpret_cast<void*>(lib.message_read),
                           reinterpret_cast<void*>(lib.error_free),
                           reinterpret_cast<void*>(lib.error_is_set)})
        CHECK(function != nullptr);

    // The functions are the library's: a bus that is never started is made and freed.
    sd_bus* raw = nullptr;
    REQUIRE(lib.bus_new(&raw) >= 0);
    BusPtr bus(raw);
    CHECK(lib.set_address(bus.get(), "unix:path=/nonexistent/hull-test") >= 0);
    CHECK(lib.start(bus.get()) < 0);
    BusError unset;
    CHECK(unset.text(-2) == "No such file or directory");
}

TEST_CASE("libsystemd: hull does not load it for commands that never talk to systemd",
          "[cgroups][systemd]") {
    // ld.so lists what it would load at start and exits (what ldd does).
    auto r = hull::test::run_command({hull::test::hull_binary(), "--version"},
                                     {.env = {{"LD_TRACE_LOADED_OBJECTS", "1"}}});
    INFO(r.out << r.err);
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains("libc.so.6"));
    CHECK_THAT(r.out, !Catch::Contains("libsystemd"));
}
