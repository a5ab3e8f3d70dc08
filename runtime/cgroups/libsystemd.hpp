// sd-bus from libsystemd.so.0, loaded with dlopen when a command first talks to systemd.
//
// Linking libsystemd would make every hull command load it and the five libraries it pulls in
// (libgcrypt, liblzma, libzstd, liblz4, libgpg-error): about 0.5 ms of CPU per command here,
// twice for create and run, which re-execute themselves (self_exe.hpp). Only the systemd cgroup
// driver and machined registration need it, so only they pay for it, as systemd itself loads
// its optional libraries.
#pragma once

#include <systemd/sd-bus.h>

namespace hull::cgroups {

// The sd-bus functions hull calls, with their C names minus "sd_bus_". The types come from
// sd-bus.h, so a call through them is checked as a direct call would be.
struct LibSystemd {
    decltype(&::sd_bus_new) bus_new;
    decltype(&::sd_bus_set_address) set_address;
    decltype(&::sd_bus_start) start;
    decltype(&::sd_bus_open_system) open_system;
    decltype(&::sd_bus_flush_close_unref) flush_close_unref;
    decltype(&::sd_bus_process) process;
    decltype(&::sd_bus_wait) wait;
    decltype(&::sd_bus_call) call;
    decltype(&::sd_bus_call_method) call_method;
    decltype(&::sd_bus_get_property_string) get_property_string;
    decltype(&::sd_bus_match_signal) match_signal;
    decltype(&::sd_bus_slot_unref) slot_unref;
    decltype(&::sd_bus_message_new_method_call) message_new_method_call;
    decltype(&::sd_bus_message_unref) message_unref;
    decltype(&::sd_bus_message_append) message_append;
    decltype(&::sd_bus_message_append_array) message_append_array;
    decltype(&::sd_bus_message_open_container) message_open_container;
    decltype(&::sd_bus_message_close_container) message_close_container;
    decltype(&::sd_bus_message_read) message_read;
    decltype(&::sd_bus_error_free) error_free;
    decltype(&::sd_bus_error_is_set) error_is_set;
};

// Loads libsystemd.so.0 on the first call and resolves every function; the library stays
// loaded. Throws an Error that names the library (or the missing function) and the package
// that provides it.
const LibSystemd& libsystemd();

}  // namespace hull::cgroups
