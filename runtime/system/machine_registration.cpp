#include "runtime/system/machine_registration.hpp"

#include <array>
#include <cctype>
#include <cstring>

#include "base/error.hpp"
#include "runtime/cgroups/sd_bus_handles.hpp"

namespace hull::system_container {

namespace {

constexpr const char* kMachined = "org.freedesktop.machine1";
constexpr const char* kMachinedPath = "/org/freedesktop/machine1";
constexpr const char* kMachinedManager = "org.freedesktop.machine1.Manager";

using cgroups::BusError;
using cgroups::BusPtr;
using cgroups::MessagePtr;

// machined takes hostname-like names only (machine_name_is_valid()).
bool valid_machine_name(const std::string& name) {
    if (name.empty() || name.size() > 64 || name.front() == '-' || name.front() == '.')
        return false;
    for (char c : name)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.')
            return false;
    return true;
}

// "0f1e...-..." -> 16 bytes; false for anything else.
bool uuid_bytes(const std::string& uuid, std::array<unsigned char, 16>& out) {
    std::string hex;
    for (char c : uuid)
        if (c != '-') hex += c;
    if (hex.size() != 32) return false;
    for (size_t i = 0; i < 16; ++i) {
        unsigned v = 0;
        for (char c : hex.substr(2 * i, 2)) {
            if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
            v = v * 16 + static_cast<unsigned>(std::isdigit(static_cast<unsigned char>(c))
                                                   ? c - '0'
                                                   : std::tolower(c) - 'a' + 10);
        }
        out[i] = static_cast<unsigned char>(v);
    }
    return true;
}

BusPtr system_bus(const Logger& log) {
    // Registration is a convenience (machinectl, journalctl -M): without libsystemd the
    // container runs unregistered, as it does without machined.
    try {
        cgroups::libsystemd();
    } catch (const Error& e) {
        log.debug(std::string("machined: ") + e.what());
        return nullptr;
    }
    sd_bus* raw = nullptr;
    int r = cgroups::libsystemd().open_system(&raw);
    if (r < 0) {
        log.debug(std::string("machined: no system bus: ") + std::strerror(-r));
        return nullptr;
    }
    return BusPtr(raw);
}

void call_unregister(sd_bus* bus, const std::string& name, const Logger& log) {
    BusError err;
    int r =
        cgroups::libsystemd().call_method(bus, kMachined, kMachinedPath, kMachinedManager,
                                          "UnregisterMachine", &err.e, nullptr, "s", name.c_str());
    if (r < 0) log.debug("machined: UnregisterMachine " + name + ": " + err.text(r));
}

}  // namespace

void MachineRegistration::register_leader(pid_t init) {
    unregister();
    std::array<unsigned char, 16> id{};
    if (!valid_machine_name(name_) || !uuid_bytes(uuid_, id)) {
        log_.debug("machined: \"" + name_ + "\" is not a machine name; not registered");
        return;
    }
    BusPtr bus = system_bus(log_);
    if (!bus) return;
    sd_bus_message* raw = nullptr;
    int r = cgroups::libsystemd().message_new_method_call(bus.get(), &raw, kMachined, kMachinedPath,
                                                          kMachinedManager, "RegisterMachine");
    MessagePtr msg(raw);
    if (r >= 0) r = cgroups::libsystemd().message_append(msg.get(), "s", name_.c_str());
    if (r >= 0)
        r = cgroups::libsystemd().message_append_array(msg.get(), 'y', id.data(), id.size());
    if (r >= 0)
        r = cgroups::libsystemd().message_append(msg.get(), "ssus", "hull", "container",
                                                 static_cast<std::uint32_t>(init), root_.c_str());
    BusError err;
    if (r >= 0) r = cgroups::libsystemd().call(bus.get(), msg.get(), 0, &err.e, nullptr);
    if (r < 0)
        log_.debug("machined: RegisterMachine " + name_ + ": " + err.text(r));
    else
        registered_ = true;
}

void MachineRegistration::unregister() {
    if (!registered_) return;
    registered_ = false;
    if (BusPtr bus = system_bus(log_)) call_unregister(bus.get(), name_, log_);
}

void unregister_machine(const std::string& name, const Logger& log) {
    if (!valid_machine_name(name)) return;
    if (BusPtr bus = system_bus(log)) call_unregister(bus.get(), name, log);
}

}  // namespace hull::system_container
