// Linux system calls that glibc 2.36 lacks or wraps awkwardly, in one place.
// Each returns what the kernel returns (-1 and errno on failure), like libc.
#pragma once

#include <linux/openat2.h>
#include <linux/sched.h>
#include <signal.h>
#include <sys/types.h>

#include <cstdint>

// From <linux/mount.h>, which cannot be included next to <sys/mount.h> on glibc 2.36.
#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY 0x00000001
#define MOUNT_ATTR_NOSUID 0x00000002
#define MOUNT_ATTR_NODEV 0x00000004
#define MOUNT_ATTR_NOEXEC 0x00000008
#define MOUNT_ATTR__ATIME 0x00000070
#define MOUNT_ATTR_RELATIME 0x00000000
#define MOUNT_ATTR_NOATIME 0x00000010
#define MOUNT_ATTR_STRICTATIME 0x00000020
#define MOUNT_ATTR_NODIRATIME 0x00000080
#define MOUNT_ATTR_IDMAP 0x00100000
#define MOUNT_ATTR_NOSYMFOLLOW 0x00200000
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif
#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#define OPEN_TREE_CLOEXEC O_CLOEXEC
#endif
#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#define MOVE_MOUNT_T_EMPTY_PATH 0x00000040
#endif

union bpf_attr;

namespace hull::sys {

struct mount_attr {
    std::uint64_t attr_set;
    std::uint64_t attr_clr;
    std::uint64_t propagation;
    std::uint64_t userns_fd;
};

pid_t clone3(struct clone_args* args);
int pidfd_open(pid_t pid, unsigned int flags = 0);
int pidfd_send_signal(int pidfd, int sig, siginfo_t* info = nullptr, unsigned int flags = 0);
int openat2(int dirfd, const char* path, struct open_how* how);
int pivot_root(const char* new_root, const char* put_old);
int close_range(unsigned int first, unsigned int last, unsigned int flags);
int mount_setattr(int dirfd, const char* path, unsigned int flags, mount_attr* attr);
int open_tree(int dirfd, const char* path, unsigned int flags);
int move_mount(int from_dirfd, const char* from_path, int to_dirfd, const char* to_path,
               unsigned int flags);
int setns(int fd, int nstype);
int execveat(int dirfd, const char* path, char* const argv[], char* const envp[], int flags);
// header and data: struct __user_cap_header_struct and __user_cap_data_struct[2] (libcap's
// <sys/capability.h> and <linux/capability.h> cannot both be included to name them here).
int capget(void* header, void* data);
int capset(void* header, const void* data);
long bpf(int cmd, union bpf_attr* attr, unsigned int size);
long set_mempolicy(int mode, const unsigned long* nodemask, unsigned long maxnode);
int ioprio_set(int which, int who, int ioprio);
// keyctl(KEYCTL_JOIN_SESSION_KEYRING, name): a new session keyring named name, joined.
long keyctl_join_session_keyring(const char* name);

}  // namespace hull::sys
