/* Makes each system call given by number on the command line, with every argument 0, and
 * prints "<number> <errno>" for each (errno 0 when it succeeded). Static, so that it runs in
 * a busybox rootfs; the seccomp tests read what a filter answered. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        long nr = strtol(argv[i], NULL, 10);
        errno = 0;
        long rc = syscall(nr, 0L, 0L, 0L, 0L, 0L, 0L);
        printf("%ld %d\n", nr, rc < 0 ? errno : 0);
    }
    return 0;
}
