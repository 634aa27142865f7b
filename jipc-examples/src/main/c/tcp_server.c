/*
 * TCP server with a pool of pre-forked worker processes (twin of TcpServer.java): listens on
 * 127.0.0.1:PORT, fork()s WORKERS children that inherit the listening socket and all block in
 * accept() on it. Each connection carries one struct msg_st (the client half-closes); the worker
 * prints it and answers with the same scores and "NAME (served by worker PID)".
 *   tcp_server [PORT [WORKERS]]
 * SIGTERM or SIGINT to the parent stops the workers; a worker also dies with its parent.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

struct msg_st {
    uint32_t math;
    uint32_t chinese;
    uint8_t name[];
} __attribute__((packed));

#define MAX 512

static void serve(int sd) {
    pid_t me = getpid();
    for (;;) {
        int c = accept(sd, NULL, NULL);
        if (c < 0) { perror("accept()"); continue; }
        uint8_t buf[MAX + 1];
        size_t len = 0;
        ssize_t r;
        while (len < MAX && (r = read(c, buf + len, MAX - len)) > 0) len += r;
        if (len < sizeof(struct msg_st)) { close(c); continue; }
        buf[len] = 0;
        struct msg_st *m = (struct msg_st *)buf;
        printf("worker %d: name=%s math=%u chinese=%u\n", me, (char *)m->name, ntohl(m->math), ntohl(m->chinese));
        fflush(stdout);
        char name[MAX];
        int n = snprintf(name, sizeof name, "%s (served by worker %d)", (char *)m->name, me);
        size_t size = sizeof(struct msg_st) + n + 1;
        struct msg_st *reply = malloc(size);
        reply->math = m->math; /* already in network order */
        reply->chinese = m->chinese;
        memcpy(reply->name, name, n + 1);
        if (write(c, reply, size) != (ssize_t)size) perror("write()");
        free(reply);
        close(c);
    }
}

int main(int argc, char **argv) {
    int port = argc > 1 ? atoi(argv[1]) : 1989;
    int workers = argc > 2 ? atoi(argv[2]) : 2;
    int sd = socket(AF_INET, SOCK_STREAM, 0);
    if (sd < 0) { perror("socket()"); return 1; }
    int on = 1;
    setsockopt(sd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    struct sockaddr_in laddr = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, "127.0.0.1", &laddr.sin_addr);
    if (bind(sd, (struct sockaddr *)&laddr, sizeof laddr) < 0) { perror("bind()"); return 1; }
    if (listen(sd, 128) < 0) { perror("listen()"); return 1; }
    socklen_t len = sizeof laddr;
    getsockname(sd, (struct sockaddr *)&laddr, &len);
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    sigprocmask(SIG_BLOCK, &stop, NULL);
    pid_t pids[64];
    if (workers < 1 || workers > 64) { fprintf(stderr, "WORKERS must be 1..64\n"); return 2; }
    pid_t parent = getpid();
    fflush(stdout);
    for (int i = 0; i < workers; i++) {
        pid_t p = fork();
        if (p < 0) { perror("fork()"); return 1; }
        if (p == 0) {
            sigprocmask(SIG_UNBLOCK, &stop, NULL);
            prctl(PR_SET_PDEATHSIG, SIGTERM);
            if (getppid() != parent) _exit(0);
            serve(sd);
        }
        pids[i] = p;
        printf("server: worker %d ready\n", p);
        fflush(stdout); /* before the next fork copies the buffer */
    }
    printf("server: listening on 127.0.0.1:%d with %d worker processes\n", ntohs(laddr.sin_port), workers);
    fflush(stdout);
    int sig;
    sigwait(&stop, &sig);
    for (int i = 0; i < workers; i++) kill(pids[i], SIGTERM);
    for (int i = 0; i < workers; i++) waitpid(pids[i], NULL, 0);
    printf("server: stopped by signal %d\n", sig);
    return 0;
}
