// `hull console ID`: attaches the caller's terminal (or pipes) to a system container's
// console through the supervisor's console.sock (see console_hub.hpp for the protocol).
#pragma once

#include <string>

#include "runtime/context.hpp"

namespace hull::system_container {

// The detach sequence when --detach-keys is not given: Ctrl-] (as virsh console and telnet).
inline constexpr char kDefaultDetachKey = 0x1d;

// Attaches until the detach sequence is typed (exit 0, "[detached from ID]" on stderr) or
// the console goes away (exit 0 with a note). EOF on stdin does not detach: output keeps
// flowing, so a pipe can drive it. detach_keys: "" for Ctrl-], else docker's form.
int cmd_console(runtime::Context& ctx, const std::string& id, const std::string& detach_keys);

// Docker's --detach-keys form: comma-separated keys, each "ctrl-<x>" (x in a-z, @, [, \, ],
// ^, _) or a single character. "" gives Ctrl-]. Throws hull::Error on anything else.
std::string parse_detach_keys(const std::string& spec);

}  // namespace hull::system_container
