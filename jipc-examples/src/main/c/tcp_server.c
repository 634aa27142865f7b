/*
 * TCP server with a pool of pre-forked worker processes (twin of TcpServer.java): listens once on
 * 127.0.0.1:PORT, then fork()s WORKERS children that inherit the listening socket and all block
 * in accept() on it: one socket, one accept queue, the kernel hands each connection to one worker.
 * Each connection carries one struct msg_st (the client half-closes); the worker prints it and
 * answers with the same scores and "NAME (served by worker PID)".
 *   tcp_server [PORT [WORKERS [PROGRAM ARGS...]]]
 *   tcp_server --worker
 * With PROGRAM, every second worker exec()s PROGRAM ARGS... instead of serving in the forked
 * copy (e.g. the Java worker, TcpServer --worker), with the descriptors both languages agree on:
 * 0 the listening socket (the inetd convention: a JVM gets it from System.inheritedChannel()),
 * 1 and 2 stdout and stderr, 3 the read end of a "lifeline" pipe whose write end only the parent
 * holds (end-of-file: the parent is gone). --worker is that worker in C (what TcpServer.java
 * starts when given this program): it accepts on fd 0 while a thread waits for the lifeline's end.
 * SIGTERM or SIGINT to the parent stops the workers; a forked worker also dies with its parent.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
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
#define LIFELINE 3

static void serve_one(int c) {
    pid_t me = getpid();
    uint8_t buf[MAX + 1];
    size_t len = 0;
    ssize_t r;
    while (len < MAX && (r = read(c, buf + len, MAX - len)) > 0) len += r;
    if (len < sizeof(struct msg_st)) { close(c); return; }
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

/* A forked worker: blocks in accept() on the inherited socket, like its siblings. */
static void serve(int sd) {
    printf("worker %d: accepting\n", getpid());
    fflush(stdout);
    for (;;) {
        int c = accept(sd, NULL, NULL);
        if (c < 0) { perror("accept()"); continue; }
        serve_one(c);
    }
}

/* The lifeline's watcher: the parent is gone when the pipe reaches end-of-file. */
static void *watch_lifeline(void *unused) {
    (void)unused;
    char b;
    while (read(LIFELINE, &b, 1) > 0) {}
    _exit(0);
}

/* An exec()ed worker (--worker): the listening socket is fd 0, the lifeline fd 3. */
static int worker(void) {
    int listening = 0;
    socklen_t len = sizeof listening;
    if (getsockopt(0, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) < 0 || !listening) {
        fprintf(stderr, "tcp_server --worker: fd 0 must be a listening socket (the worker is started by tcp-server)\n");
        return 2;
    }
    pthread_t t;
    if (pthread_create(&t, NULL, watch_lifeline, NULL) != 0) { perror("pthread_create()"); return 1; }
    serve(0);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "--worker") == 0) return worker();
    int port = argc > 1 ? atoi(argv[1]) : 1989;
    int workers = argc > 2 ? atoi(argv[2]) : 2;
    char **program = argc > 3 ? argv + 3 : NULL;
    if (workers < 1 || workers > 64) { fprintf(stderr, "WORKERS must be 1..64\n"); return 2; }
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
    int lifeline[2];
    if (program && pipe2(lifeline, O_CLOEXEC) < 0) { perror("pipe2()"); return 1; }
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    sigprocmask(SIG_BLOCK, &stop, NULL);
    pid_t pids[64];
    pid_t parent = getpid();
    fflush(stdout);
    for (int i = 0; i < workers; i++) {
        int exec = program && i % 2 == 1;
        pid_t p = fork();
        if (p < 0) { perror("fork()"); return 1; }
        if (p == 0) {
            sigprocmask(SIG_UNBLOCK, &stop, NULL);
            if (exec) { /* the agreed descriptors: 0 socket, 3 lifeline (dup2 clears close-on-exec) */
                if (dup2(sd, 0) < 0 || dup2(lifeline[0], LIFELINE) < 0) { perror("dup2()"); _exit(1); }
                close(sd);
                execvp(program[0], program);
                perror("execvp()");
                _exit(127);
            }
            if (program) close(lifeline[1]); /* only the parent holds the write end */
            prctl(PR_SET_PDEATHSIG, SIGTERM);
            if (getppid() != parent) _exit(0);
            serve(sd);
        }
        pids[i] = p;
        const char *slash = exec ? strrchr(program[0], '/') : NULL;
        printf("server: worker %d ready (%s)\n", p, !exec ? "forked" : slash ? slash + 1 : program[0]);
        fflush(stdout); /* before the next fork copies the buffer */
    }
    if (program) close(lifeline[0]);
    printf("server: listening on 127.0.0.1:%d with %d worker processes\n", ntohs(laddr.sin_port), workers);
    fflush(stdout);
    int sig;
    sigwait(&stop, &sig);
    for (int i = 0; i < workers; i++) kill(pids[i], SIGTERM);
    for (int i = 0; i < workers; i++) waitpid(pids[i], NULL, 0);
    printf("server: stopped by signal %d\n", sig);
    return 0;
}
