#include "base/syscalls.hpp"

#include <sys/syscall.h>
#include <unistd.h>

namespace hull::sys {

pid_t clone3(struct clone_args* args) {
    return static_cast<pid_t>(::syscall(SYS_clone3, args, sizeof(*args)));
}

int pidfd_open(pid_t pid, unsigned int flags) {
    return static_cast<int>(::syscall(SYS_pidfd_open, pid, flags));
}

int pidfd_send_signal(int pidfd, int sig, siginfo_t* info, unsigned int flags) {
    return static_cast<int>(::syscall(SYS_pidfd_send_signal, pidfd, sig, info, flags));
}

int openat2(int dirfd, const char* path, struct open_how* how) {
    return static_cast<int>(::syscall(SYS_openat2, dirfd, path, how, sizeof(*how)));
}

int pivot_root(const char* new_root, const char* put_old) {
    return static_cast<int>(::syscall(SYS_pivot_root, new_root, put_old));
}

int close_range(unsigned int first, unsigned int last, unsigned int flags) {
    return static_cast<int>(::syscall(SYS_close_range, first, last, flags));
}

int mount_setattr(int dirfd, const char* path, unsigned int flags, mount_attr* attr) {
    return static_cast<int>(::syscall(SYS_mount_setattr, dirfd, path, flags, attr, sizeof(*attr)));
}

int open_tree(int dirfd, const char* path, unsigned int flags) {
    return static_cast<int>(::syscall(SYS_open_tree, dirfd, path, flags));
}

int move_mount(int from_dirfd, const char* from_path, int to_dirfd, const char* to_path,
               unsigned int flags) {
    return static_cast<int>(
        ::syscall(SYS_move_mount, from_dirfd, from_path, to_dirfd, to_path, flags));
}

int setns(int fd, int nstype) {
    return static_cast<int>(::syscall(SYS_setns, fd, nstype));
}

int execveat(int dirfd, const char* path, char* const argv[], char* const envp[], int flags) {
    return static_cast<int>(::syscall(SYS_execveat, dirfd, path, argv, envp, flags));
}

int capget(void* header, void* data) {
    return static_cast<int>(::syscall(SYS_capget, header, data));
}

int capset(void* header, const void* data) {
    return static_cast<int>(::syscall(SYS_capset, header, data));
}

long bpf(int cmd, union bpf_attr* attr, unsigned int size) {
    return ::syscall(SYS_bpf, cmd, attr, size);
}

long set_mempolicy(int mode, const unsigned long* nodemask, unsigned long maxnode) {
    return ::syscall(SYS_set_mempolicy, mode, nodemask, maxnode);
}

int ioprio_set(int which, int who, int ioprio) {
    return static_cast<int>(::syscall(SYS_ioprio_set, which, who, ioprio));
}

long keyctl_join_session_keyring(const char* name) {
    constexpr long kKeyctlJoinSessionKeyring = 1;
    return ::syscall(SYS_keyctl, kKeyctlJoinSessionKeyring, name);
}

}  // namespace hull::sys
