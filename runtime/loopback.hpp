// The loopback device of a new network namespace starts down; runc and crun bring it up, so
// that 127.0.0.1 works in every container with a network namespace of its own.
#pragma once

namespace hull::runtime {

// Sets IFF_UP on `lo` in the calling process's network namespace.
void bring_up_loopback();

}  // namespace hull::runtime
