/* sd_notify(3) from inside a test container, where busybox has no systemd-notify: sends its
 * one argument as one datagram to $NOTIFY_SOCKET. Static, copied into a busybox rootfs. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char** argv) {
    const char* path = getenv("NOTIFY_SOCKET");
    if (argc != 2 || !path || !*path ||
        strlen(path) >= sizeof(((struct sockaddr_un*)0)->sun_path)) {
        fprintf(stderr, "usage: NOTIFY_SOCKET=PATH notify_send MESSAGE\n");
        return 2;
    }
    struct sockaddr_un addr;
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    strcpy(addr.sun_path, path);
    if (path[0] == '@') addr.sun_path[0] = '\0';
    socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path) +
                                (path[0] == '@' ? 0 : 1));
    int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    if (fd < 0 || sendto(fd, argv[1], strlen(argv[1]), 0, (struct sockaddr*)&addr, len) < 0) {
        perror("notify_send");
        return 1;
    }
    return 0;
}
