#include "runtime/cgroups/libsystemd.hpp"

#include <dlfcn.h>

#include <string>

#include "base/error.hpp"

namespace hull::cgroups {

namespace {

constexpr const char* kLibrary = "libsystemd.so.0";

template <typename Function>
void resolve(void* library, Function& out, const char* name) {
    void* symbol = ::dlsym(library, name);
    if (!symbol)
        throw Error(std::string(kLibrary) + " has no " + name +
                    " (hull needs the sd-bus of systemd 221 or later)");
    out = reinterpret_cast<Function>(symbol);
}

LibSystemd load() {
    // Never closed: sd-bus objects may live until exit.
    void* library = ::dlopen(kLibrary, RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        const char* why = ::dlerror();
        throw Error(std::string("cannot load ") + kLibrary + " for sd-bus (" +
                    (why ? why : "dlopen failed") + "); install libsystemd0");
    }
    LibSystemd lib{};
#define HULL_RESOLVE(member, name) resolve(library, lib.member, #name)
    HULL_RESOLVE(bus_new, sd_bus_new);
    HULL_RESOLVE(set_address, sd_bus_set_address);
    HULL_RESOLVE(start, sd_bus_start);
    HULL_RESOLVE(open_system, sd_bus_open_system);
    HULL_RESOLVE(flush_close_unref, sd_bus_flush_close_unref);
    HULL_RESOLVE(process, sd_bus_process);
    HULL_RESOLVE(wait, sd_bus_wait);
    HULL_RESOLVE(call, sd_bus_call);
    HULL_RESOLVE(call_method, sd_bus_call_method);
    HULL_RESOLVE(get_property_string, sd_bus_get_property_string);
    HULL_RESOLVE(match_signal, sd_bus_match_signal);
    HULL_RESOLVE(slot_unref, sd_bus_slot_unref);
    HULL_RESOLVE(message_new_method_call, sd_bus_message_new_method_call);
    HULL_RESOLVE(message_unref, sd_bus_message_unref);
    HULL_RESOLVE(message_append, sd_bus_message_append);
    HULL_RESOLVE(message_append_array, sd_bus_message_append_array);
    HULL_RESOLVE(message_open_container, sd_bus_message_open_container);
    HULL_RESOLVE(message_close_container, sd_bus_message_close_container);
    HULL_RESOLVE(message_read, sd_bus_message_read);
    HULL_RESOLVE(error_free, sd_bus_error_free);
    HULL_RESOLVE(error_is_set, sd_bus_error_is_set);
#undef HULL_RESOLVE
    return lib;
}

}  // namespace

const LibSystemd& libsystemd() {
    // A failed load throws out of the initialiser, so the next call tries again.
    static const LibSystemd lib = load();
    return lib;
}

}  // namespace hull::cgroups
