#include "base/fd_passing.hpp"

#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "base/error.hpp"

namespace hull {

size_t send_with_fd(int socket, const std::string& payload, int fd, const std::string& what) {
    struct iovec iov {
        const_cast<char*>(payload.data()), payload.size()
    };
    struct msghdr msg {};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    if (fd >= 0) {
        msg.msg_control = control;
        msg.msg_controllen = sizeof control;
        struct cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
        cmsg->cmsg_level = SOL_SOCKET;
        cmsg->cmsg_type = SCM_RIGHTS;
        cmsg->cmsg_len = CMSG_LEN(sizeof(int));
        std::memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
    }
    ssize_t sent;
    while ((sent = ::sendmsg(socket, &msg, MSG_NOSIGNAL)) < 0) {
        if (errno != EINTR) throw_errno(what);
    }
    return static_cast<size_t>(sent);
}

std::string receive_with_fd(int socket, size_t max, unique_fd* fd, const std::string& what) {
    std::vector<char> buf(max);
    struct iovec iov {
        buf.data(), buf.size()
    };
    struct msghdr msg {};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n;
    while ((n = ::recvmsg(socket, &msg, MSG_CMSG_CLOEXEC)) < 0) {
        if (errno != EINTR) throw_errno(what);
    }
    for (struct cmsghdr* cmsg = CMSG_FIRSTHDR(&msg); cmsg; cmsg = CMSG_NXTHDR(&msg, cmsg)) {
        if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS) {
            int received;
            std::memcpy(&received, CMSG_DATA(cmsg), sizeof received);
            if (fd)
                fd->reset(received);
            else
                ::close(received);
        }
    }
    return std::string(buf.data(), static_cast<size_t>(n));
}

}  // namespace hull
