/* C peer for the io.jipc.socket tests.
 *   uds_peer use PATH    connect (seqpacket); receive messages "<kind>" + one fd each and use the fd:
 *                        p = pipe write end, f = FIFO write end: write "<kind>-ok";
 *                        s = stream socket: send "s-ok"; m = memfd: pwrite "m-ok" at 0; q = quit.
 *                        Replies "done" and exits.
 *   uds_peer send3 PATH  connect (seqpacket); send "x" with 3 descriptors; wait for one byte; exit.
 *   uds_peer stream PATH connect (stream); write "hi"; read until end of stream; exit.
 * A PATH starting with '@' is a Linux abstract name.
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int dial(int type, const char *path) {
    int s = socket(AF_UNIX, type, 0);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    socklen_t len = sizeof a;
    if (path[0] == '@') { /* a Linux abstract name: leading NUL, length = exactly the name */
        size_t n = strlen(path + 1);
        memcpy(a.sun_path + 1, path + 1, n);
        len = offsetof(struct sockaddr_un, sun_path) + 1 + n;
    } else {
        strncpy(a.sun_path, path, sizeof a.sun_path - 1);
    }
    if (s < 0 || connect(s, (struct sockaddr *)&a, len) < 0) { perror("connect"); exit(2); }
    return s;
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage\n"); return 2; }
    if (strcmp(argv[1], "stream") == 0) {
        int s = dial(SOCK_STREAM, argv[2]);
        if (write(s, "hi", 2) != 2) return 3;
        char b[64];
        while (read(s, b, sizeof b) > 0) {}
        return 0;
    }
    int s = dial(SOCK_SEQPACKET, argv[2]);
    if (strcmp(argv[1], "send3") == 0) {
        int p[2];
        if (pipe(p) < 0) return 3;
        int fds[3] = {p[0], p[1], dup(p[0])};
        char c = 'x';
        struct iovec iov = {&c, 1};
        union { char buf[CMSG_SPACE(sizeof fds)]; struct cmsghdr align; } u;
        struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
        struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
        cm->cmsg_level = SOL_SOCKET; cm->cmsg_type = SCM_RIGHTS; cm->cmsg_len = CMSG_LEN(sizeof fds);
        memcpy(CMSG_DATA(cm), fds, sizeof fds);
        if (sendmsg(s, &m, MSG_NOSIGNAL) != 1) { perror("sendmsg"); return 3; }
        read(s, &c, 1);
        return 0;
    }
    for (;;) {
        char kind;
        struct iovec iov = {&kind, 1};
        union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } u;
        struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
        ssize_t n = recvmsg(s, &m, MSG_CMSG_CLOEXEC);
        if (n != 1) { fprintf(stderr, "recvmsg %zd\n", n); return 4; }
        if (kind == 'q') break;
        struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
        if (!cm || cm->cmsg_type != SCM_RIGHTS) { fprintf(stderr, "no fd with %c\n", kind); return 5; }
        int fd;
        memcpy(&fd, CMSG_DATA(cm), sizeof fd);
        char msg[8] = {kind, '-', 'o', 'k'};
        ssize_t w = kind == 's' ? send(fd, msg, 4, MSG_NOSIGNAL)
                  : kind == 'm' ? pwrite(fd, msg, 4, 0) : write(fd, msg, 4);
        if (w != 4) { perror("use fd"); return 6; }
        close(fd);
    }
    if (send(s, "done", 4, MSG_NOSIGNAL) != 4) return 7;
    return 0;
}
