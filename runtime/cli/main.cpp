#include <signal.h>

#include "base/process_title.hpp"
#include "runtime/cli/cli.hpp"

int main(int argc, char** argv) {
    // A SIGCHLD ignored by our caller survives exec and would make the kernel reap our
    // children (hooks, the container's init) before we can read how they ended.
    ::signal(SIGCHLD, SIG_DFL);
    hull::remember_arguments(argc, argv);
    return hull::cli::run(argc, argv);
}
