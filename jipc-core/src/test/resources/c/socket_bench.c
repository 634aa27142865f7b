/* C baseline for SocketBench: 64-byte ping-pong between a parent and a fork()ed child over a
 * Unix-domain stream, datagram or seqpacket socketpair, or TCP loopback with TCP_NODELAY.
 *   socket_bench stream|dgram|seqpacket|tcp ROUNDS     (prints p50 and p99 after 20000 warm-up)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SIZE 64
#define WARMUP 20000

static long now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

static int full(int fd, char *b, int write_) {
    int done = 0;
    while (done < SIZE) {
        ssize_t n = write_ ? send(fd, b + done, SIZE - done, MSG_NOSIGNAL) : recv(fd, b + done, SIZE - done, 0);
        if (n <= 0) return -1;
        done += n;
    }
    return 0;
}

static int cmp(const void *a, const void *b) {
    long x = *(const long *)a, y = *(const long *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: socket_bench stream|dgram|seqpacket|tcp ROUNDS\n"); return 2; }
    int rounds = atoi(argv[2]);
    int parent_fd, child_fd;
    if (strcmp(argv[1], "tcp") == 0) {
        int l = socket(AF_INET, SOCK_STREAM, 0), on = 1;
        struct sockaddr_in a = {.sin_family = AF_INET};
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        if (bind(l, (struct sockaddr *)&a, sizeof a) < 0 || listen(l, 1) < 0) { perror("tcp"); return 1; }
        getsockname(l, (struct sockaddr *)&a, &len);
        child_fd = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(child_fd, (struct sockaddr *)&a, sizeof a) < 0) { perror("connect"); return 1; }
        parent_fd = accept(l, NULL, NULL);
        close(l);
        setsockopt(parent_fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
        setsockopt(child_fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    } else {
        int type = strcmp(argv[1], "stream") == 0 ? SOCK_STREAM : strcmp(argv[1], "dgram") == 0 ? SOCK_DGRAM : SOCK_SEQPACKET;
        int sv[2];
        if (socketpair(AF_UNIX, type, 0, sv) < 0) { perror("socketpair"); return 1; }
        parent_fd = sv[0];
        child_fd = sv[1];
    }
    char b[SIZE] = {0};
    pid_t p = fork();
    if (p == 0) {
        close(parent_fd);
        for (;;) {
            ssize_t n = recv(child_fd, b, SIZE, 0);
            if (n <= 1) _exit(0);
            if (n < SIZE && full(child_fd, b, 0) < 0) _exit(0); /* stream: rest of the message */
            if (full(child_fd, b, 1) < 0) _exit(0);
        }
    }
    close(child_fd);
    long *rtt = malloc(sizeof(long) * rounds);
    for (int i = 0; i < WARMUP + rounds; i++) {
        long t0 = now();
        if (full(parent_fd, b, 1) < 0 || full(parent_fd, b, 0) < 0) { fprintf(stderr, "peer gone\n"); return 1; }
        if (i >= WARMUP) rtt[i - WARMUP] = now() - t0;
    }
    send(parent_fd, b, 1, MSG_NOSIGNAL);
    close(parent_fd);
    waitpid(p, NULL, 0);
    qsort(rtt, rounds, sizeof(long), cmp);
    printf("c    %-9s rounds=%d p50=%.1fus p99=%.1fus\n", argv[1], rounds, rtt[rounds / 2] / 1000.0, rtt[(int)(rounds * 0.99)] / 1000.0);
    return 0;
}
