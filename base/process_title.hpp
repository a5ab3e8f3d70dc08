// Renaming this process as `ps` shows it (the supervisor of a system container calls itself
// "[hull monitor] ROOT ID", as LXC's does "[lxc monitor]"). Without CAP_SYS_RESOURCE
// (PR_SET_MM) the only way is to overwrite the argument strings the kernel gave us.
#pragma once

#include <string>

namespace hull {

// Called once from main with its arguments.
void remember_arguments(int argc, char** argv);

// Overwrites the arguments (truncating the title to the space they had) and sets the
// thread name (comm, 15 bytes) to comm.
void set_process_title(const std::string& title, const std::string& comm);

}  // namespace hull
