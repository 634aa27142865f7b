/* C peer for the datagram tests (twin of io.jipc.socket.DatagramChild): a Unix-domain datagram
 * socket that greets, then answers, across processes.
 *   dgram_peer OWN PEER [OWN PEER ...]
 *                          OWN: a path or @abstract name to bind, or "fd3" for a socketpair end
 *                          inherited as fd 3 (then PEER is "-": the pair is connected)
 * One conversation per pair, in order: it sends "hello from PID" to PEER, then answers each
 * message (to its sender, or through the pair): "ping X" -> "pong X"; "fd X" with a descriptor
 * (a pipe's write end) -> writes "peer got X" into it and answers "used X"; "give" -> answers
 * "take" with the read end of a new pipe that holds "from the peer's pipe"; "quit" -> "bye", and
 * the socket is closed. Exits 0 after the last conversation.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static socklen_t address(const char *name, struct sockaddr_un *a) {
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    if (name[0] == '@') { /* abstract: leading NUL, exactly the name's bytes */
        size_t n = strlen(name + 1);
        memcpy(a->sun_path + 1, name + 1, n);
        return offsetof(struct sockaddr_un, sun_path) + 1 + n;
    }
    strncpy(a->sun_path, name, sizeof a->sun_path - 1);
    return sizeof *a;
}

/* Sends TEXT (with FD attached unless -1) to TO, or through the connected socket if TO is NULL. */
static void reply(int s, struct sockaddr_un *to, socklen_t tolen, const char *text, int fd) {
    struct iovec iov = {(void *)text, strlen(text)};
    union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } u;
    struct msghdr m = {.msg_name = to, .msg_namelen = to ? tolen : 0, .msg_iov = &iov, .msg_iovlen = 1};
    if (fd >= 0) {
        m.msg_control = u.buf;
        m.msg_controllen = sizeof u.buf;
        struct cmsghdr *c = CMSG_FIRSTHDR(&m);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &fd, sizeof fd);
    }
    if (sendmsg(s, &m, MSG_NOSIGNAL) < 0) { perror("sendmsg"); exit(3); }
}

/* One conversation as OWN with PEER: 0 once "quit" was answered, or the exit code of a failure. */
static int converse(const char *own_name, const char *peer_name) {
    int pair = strcmp(own_name, "fd3") == 0;
    int s = 3;
    if (!pair) {
        struct sockaddr_un own;
        socklen_t len = address(own_name, &own);
        s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (s < 0 || bind(s, (struct sockaddr *)&own, len) < 0) { perror("bind"); return 1; }
    }
    struct sockaddr_un peer;
    socklen_t peerlen = pair ? 0 : address(peer_name, &peer);
    char hello[64];
    snprintf(hello, sizeof hello, "hello from %d", getpid());
    reply(s, pair ? NULL : &peer, peerlen, hello, -1);
    for (;;) {
        char buf[256];
        struct sockaddr_un from;
        struct iovec iov = {buf, sizeof buf - 1};
        union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } u;
        struct msghdr m = {.msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &iov, .msg_iovlen = 1,
                           .msg_control = u.buf, .msg_controllen = sizeof u.buf};
        ssize_t n = recvmsg(s, &m, MSG_CMSG_CLOEXEC);
        if (n < 0) { perror("recvmsg"); return 4; }
        buf[n] = 0;
        struct sockaddr_un *to = pair ? NULL : &from;
        char answer[300];
        if (strncmp(buf, "ping ", 5) == 0) {
            snprintf(answer, sizeof answer, "pong %s", buf + 5);
            reply(s, to, m.msg_namelen, answer, -1);
        } else if (strncmp(buf, "fd ", 3) == 0) {
            struct cmsghdr *c = CMSG_FIRSTHDR(&m);
            if (!c || c->cmsg_type != SCM_RIGHTS) { fprintf(stderr, "no descriptor with %s\n", buf); return 5; }
            int fd;
            memcpy(&fd, CMSG_DATA(c), sizeof fd);
            snprintf(answer, sizeof answer, "peer got %s", buf + 3);
            if (write(fd, answer, strlen(answer)) < 0) { perror("write"); return 6; }
            close(fd);
            snprintf(answer, sizeof answer, "used %s", buf + 3);
            reply(s, to, m.msg_namelen, answer, -1);
        } else if (strcmp(buf, "give") == 0) {
            int p[2];
            if (pipe2(p, O_CLOEXEC) < 0) { perror("pipe2"); return 7; }
            const char *text = "from the peer's pipe";
            if (write(p[1], text, strlen(text)) < 0) { perror("write"); return 7; }
            close(p[1]);
            reply(s, to, m.msg_namelen, "take", p[0]);
            close(p[0]);
        } else if (strcmp(buf, "quit") == 0) {
            reply(s, to, m.msg_namelen, "bye", -1);
            close(s);
            return 0;
        } else {
            fprintf(stderr, "unknown message %s\n", buf);
            return 8;
        }
    }
}

int main(int argc, char **argv) {
    if (argc < 3 || argc % 2 == 0) { fprintf(stderr, "usage: dgram_peer OWN PEER [OWN PEER ...]\n"); return 2; }
    for (int i = 1; i < argc; i += 2) {
        int r = converse(argv[i], argv[i + 1]);
        if (r != 0) return r;
    }
    return 0;
}
