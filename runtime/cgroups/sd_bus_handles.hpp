// RAII for sd-bus (libsystemd): the bus, messages, slots and errors, shared by the systemd
// cgroup driver (systemd_manager.cpp) and machined registration (runtime/system/). Only made
// once libsystemd() has loaded the library.
#pragma once

#include <cstring>
#include <memory>
#include <string>

#include "runtime/cgroups/libsystemd.hpp"

namespace hull::cgroups {

struct BusClose {
    void operator()(sd_bus* b) const { libsystemd().flush_close_unref(b); }
};
using BusPtr = std::unique_ptr<sd_bus, BusClose>;
struct MessageUnref {
    void operator()(sd_bus_message* m) const { libsystemd().message_unref(m); }
};
using MessagePtr = std::unique_ptr<sd_bus_message, MessageUnref>;
struct SlotUnref {
    void operator()(sd_bus_slot* s) const { libsystemd().slot_unref(s); }
};
using SlotPtr = std::unique_ptr<sd_bus_slot, SlotUnref>;

struct BusError {
    sd_bus_error e{nullptr, nullptr, 0};  // SD_BUS_ERROR_NULL is a C99 compound literal
    BusError() = default;
    BusError(const BusError&) = delete;
    BusError& operator=(const BusError&) = delete;
    // An unset error owns nothing, and must not load the library from a destructor.
    ~BusError() {
        if (e.name || e.message) libsystemd().error_free(&e);
    }
    // The D-Bus error's name and message, or strerror of the call's result r.
    std::string text(int r) const {
        if (libsystemd().error_is_set(&e))
            return std::string(e.name) + ": " + (e.message ? e.message : "");
        return std::strerror(-r);
    }
};

}  // namespace hull::cgroups
