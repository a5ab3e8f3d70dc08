// A container's status (runtime.md "State", plus runc's "paused"). The names are the ones
// the state JSON and `hull list` show; status_name and parse_status are their only spelling.
#pragma once

#include <string_view>

namespace hull::runtime {

enum class Status { creating, created, running, paused, stopped };

std::string_view status_name(Status status);
// Throws for a name that is none of the above (a damaged record).
Status parse_status(std::string_view name);

}  // namespace hull::runtime
