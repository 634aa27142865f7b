/* One thread, many descriptors, with epoll (twin of PollServer.java): creates the FIFO (0600),
 * listens on the Unix-domain stream socket SOCKET (0600), starts a child whose stdout is a pipe
 * to this process (default: echo hello from the child), then waits for all of them at once with
 * epoll_wait() and prints every line that arrives with where it came from: "fifo: LINE",
 * "child: LINE", "socket N: LINE". Each socket line is answered with "echo LINE". A line "quit"
 * from any of them ends the server, which removes the FIFO and the socket file.
 * The FIFO is opened for reading without waiting for a writer (O_NONBLOCK), and the server keeps
 * a write end of it open, so writers may come and go without end-of-file in between; a source at
 * end-of-file is closed (close() also removes it from the epoll set: nobody else holds it).
 * Build: gcc -O2 -Wall -o poll_server poll_server.c
 * Run:   ./poll_server FIFO SOCKET [CHILD-COMMAND...] */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_SOURCES 64

struct source {
    int fd;
    char label[32];
    char partial[4096];
    size_t used;
};

static struct source sources[MAX_SOURCES];

static struct source *add(int ep, int fd, const char *label) {
    for (int i = 0; i < MAX_SOURCES; i++) {
        if (sources[i].fd < 0) {
            struct source *s = &sources[i];
            s->fd = fd;
            s->used = 0;
            snprintf(s->label, sizeof s->label, "%s", label);
            struct epoll_event ev = {.events = EPOLLIN, .data.ptr = s};
            if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) { perror("epoll_ctl"); exit(1); }
            return s;
        }
    }
    fprintf(stderr, "too many sources\n");
    exit(1);
}

/* Reads what the ready source has, prints complete lines; 1 when one of them is "quit". */
static int serve(struct source *s) {
    char buf[4096];
    ssize_t n = read(s->fd, buf, sizeof buf);
    int quit = 0;
    for (ssize_t i = 0; i < n; i++) {
        if (buf[i] != '\n') {
            if (s->used < sizeof s->partial - 1) s->partial[s->used++] = buf[i];
            continue;
        }
        s->partial[s->used] = 0;
        s->used = 0;
        printf("%s: %s\n", s->label, s->partial);
        if (strncmp(s->label, "socket", 6) == 0) {
            char reply[4200];
            int len = snprintf(reply, sizeof reply, "echo %s\n", s->partial);
            send(s->fd, reply, len, MSG_NOSIGNAL);
        }
        if (strcmp(s->partial, "quit") == 0) quit = 1;
    }
    if (n == 0 || (n < 0 && strncmp(s->label, "fifo", 4) != 0)) {
        printf("%s: end of file\n", s->label);
        close(s->fd); /* the only reference: epoll forgets it */
        s->fd = -1;
    }
    return quit;
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: poll_server FIFO SOCKET [CHILD-COMMAND...]\n"); return 2; }
    for (int i = 0; i < MAX_SOURCES; i++) sources[i].fd = -1;
    signal(SIGPIPE, SIG_IGN);
    if (mkfifo(argv[1], 0600) < 0) { perror("mkfifo"); return 1; }
    int fifo = open(argv[1], O_RDONLY | O_NONBLOCK | O_CLOEXEC);         /* no writer needed yet */
    int keep_open = open(argv[1], O_WRONLY | O_NONBLOCK | O_CLOEXEC);    /* writers may come and go */
    if (fifo < 0 || keep_open < 0) { perror("open fifo"); return 1; }
    int server = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    strncpy(a.sun_path, argv[2], sizeof a.sun_path - 1);
    mode_t old = umask(0177);
    if (server < 0 || bind(server, (struct sockaddr *)&a, sizeof a) < 0 || listen(server, 128) < 0) {
        perror("bind"); unlink(argv[1]); return 1;
    }
    umask(old);
    int p[2];
    if (pipe2(p, O_CLOEXEC) < 0) { perror("pipe2"); return 1; }
    pid_t child = fork();
    if (child == 0) {
        dup2(p[1], 1); /* clears close-on-exec on 1 */
        if (argc > 3) execvp(argv[3], argv + 3);
        else execlp("echo", "echo", "hello from the child", (char *)NULL);
        perror("exec");
        _exit(127);
    }
    close(p[1]); /* end-of-file once the child's copy is closed too */
    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0) { perror("epoll_create1"); return 1; }
    add(ep, fifo, "fifo");
    add(ep, p[0], "child");
    struct epoll_event accepting = {.events = EPOLLIN, .data.ptr = NULL}; /* NULL: the listening socket */
    epoll_ctl(ep, EPOLL_CTL_ADD, server, &accepting);
    printf("poll-server: FIFO %s, socket %s, child %d; waiting\n", argv[1], argv[2], child);
    fflush(stdout);
    int clients = 0, quit = 0;
    while (!quit) {
        /* A slot closed by one event of a batch may take a connection accepted by a later one:
         * no stale event can read it, since epoll reports each open file at most once per
         * epoll_wait, and the closed one was reported by the event that closed it. */
        struct epoll_event ready[16];
        int n = epoll_wait(ep, ready, 16, -1);
        if (n < 0) { perror("epoll_wait"); break; }
        for (int i = 0; i < n && !quit; i++) {
            struct source *s = ready[i].data.ptr;
            if (s == NULL) {
                int c = accept4(server, NULL, NULL, SOCK_CLOEXEC);
                if (c < 0) { perror("accept4"); continue; }
                char label[32];
                snprintf(label, sizeof label, "socket %d", ++clients);
                add(ep, c, label);
            } else if (s->fd >= 0) {
                quit = serve(s);
            }
        }
        fflush(stdout);
    }
    if (quit) printf("poll-server: quit\n");
    unlink(argv[2]);
    unlink(argv[1]);
    kill(child, SIGTERM);
    waitpid(child, NULL, 0);
    return quit ? 0 : 1;
}
