// Copying a directory's content between fds, for the tmpcopyup mount option.
#pragma once

#include <string>

namespace hull::bundle {

// Copies everything under src_dir_fd into dst_dir_fd: directories, regular files, symlinks
// (never followed), device nodes and fifos, with their mode and owner. `what` names the copy in
// errors.
void copy_tree(int src_dir_fd, int dst_dir_fd, const std::string& what);

}  // namespace hull::bundle
