// Parser for the kernel's list format of CPU and NUMA node numbers ("0-3,7").
#pragma once

#include <string>
#include <vector>

namespace hull::security {

// Largest CPU or node number accepted; guards against "0-4000000000" allocating gigabytes.
inline constexpr unsigned kMaxListId = 65535;

// Parses "0-2,5" into the sorted, duplicate-free ids {0,1,2,5}. A trailing newline (as in
// sysfs files) is accepted. Throws Error naming `what` and the offending item on bad input:
// empty list or item, non-digits, reversed range, or a number above kMaxListId.
std::vector<unsigned> parse_id_list(const std::string& list, const std::string& what);

}  // namespace hull::security
