/* The C pair of `jipc bench`: one program, every mechanism, parent and fork()ed child.
 *
 *   bench_peer MECH WARMUP ROUNDS N64 N4K CPU_PARENT CPU_CHILD [ARG...]
 *
 * MECH: pipe | fifo PATH_THERE PATH_BACK | mq MSQID | sem SEMID | shm SHMID SEMID | uds-stream |
 *       uds-dgram | uds-seqpacket | tcp | udp | posix-mq NAME_THERE NAME_BACK |
 *       posix-sem NAME_TO_CHILD NAME_TO_PARENT NAME_CREDITS. CPU_*: a CPU to pin to, or -1.
 * The System V objects and FIFOs are created (and removed) by the Java harness; sockets are
 * socketpair()s or loopback sockets on ephemeral ports, so nothing here outlives the process.
 * The protocol is the one of io.jipc.bench.Harness:
 *   1. WARMUP + ROUNDS ping-pongs of 64 bytes, the parent timing each of the last ROUNDS;
 *   2. N64/5 (untimed warm-up) then N64 one-way messages of 64 bytes, each run ended by a 64-byte
 *      ack from the child carrying the count it received (for UDP the parent sends 1-byte end
 *      markers until the ack comes);
 *   3. the same with N4K/5 and N4K messages of 4096 bytes.
 * Output (stdout): "rtt NS NS ..." then "thr 64 COUNT NS" and "thr 4096 COUNT NS".
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BIG 4096
#define SLOTS 16
#define CREDITS 1024

enum kind { PIPE, FIFO, MQ, SEM, SHM, STREAM, DGRAM, SEQPACKET, TCP, UDP, POSIX_MQ, POSIX_SEM };

static enum kind kind;
static int rfd, wfd;            /* fd kinds: where this side reads and writes */
static int msqid, semid, parent;
static char *shm;

static long long now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void die(const char *what) {
    perror(what);
    exit(1);
}

static void pin(int cpu) {
    if (cpu < 0) return;
    cpu_set_t s;
    CPU_ZERO(&s);
    CPU_SET(cpu, &s);
    if (sched_setaffinity(0, sizeof s, &s) < 0) die("sched_setaffinity");
}

static void semop1(int num, int delta) {
    struct sembuf b = {(unsigned short) num, (short) delta, 0};
    while (semop(semid, &b, 1) < 0) if (errno != EINTR) die("semop");
}

/* ---- The POSIX mechanisms (posix-mq, posix-sem): everything of them is in this block, but one
 * hook line in each of send_msg, recv_msg, send_data, recv_data and main. The harness creates the
 * named objects and removes them; each side opens them by name after the fork. ---------------- */
#include <mqueue.h>
#include <semaphore.h>

static mqd_t pmq_out, pmq_in;
static sem_t *psem[3]; /* to the child, to the parent, credits */

static void posix_open(char **argv) {
    if (kind == POSIX_MQ) {
        pmq_out = mq_open(argv[parent ? 8 : 9], O_WRONLY);
        pmq_in = mq_open(argv[parent ? 9 : 8], O_RDONLY);
        if (pmq_out == (mqd_t) -1 || pmq_in == (mqd_t) -1) die("mq_open");
        return;
    }
    for (int i = 0; i < 3; i++) {
        if ((psem[i] = sem_open(argv[8 + i], 0)) == SEM_FAILED) die("sem_open");
    }
}

static void psem_wait(sem_t *s) {
    while (sem_wait(s) < 0) if (errno != EINTR) die("sem_wait");
}

static void posix_send(const char *b, int n) {
    if (kind == POSIX_MQ) {
        while (mq_send(pmq_out, b, n, 0) < 0) if (errno != EINTR) die("mq_send");
    } else if (sem_post(psem[parent ? 0 : 1]) < 0) {
        die("sem_post");
    }
}

static int posix_recv(char *b, int n) {
    if (kind == POSIX_MQ) {
        ssize_t r;
        while ((r = mq_receive(pmq_in, b, BIG, NULL)) < 0) if (errno != EINTR) die("mq_receive");
        return (int) r;
    }
    psem_wait(psem[parent ? 1 : 0]);
    return n;
}

static void posix_send_data(const char *b, int n) {
    if (kind == POSIX_SEM) { /* take a credit, then post an item */
        psem_wait(psem[2]);
        if (sem_post(psem[0]) < 0) die("sem_post");
    } else {
        posix_send(b, n);
    }
}

static int posix_recv_data(char *b, int n) {
    if (kind == POSIX_SEM) {
        psem_wait(psem[0]);
        if (sem_post(psem[2]) < 0) die("sem_post");
        return n;
    }
    return posix_recv(b, n);
}
/* ---- end of the POSIX mechanisms ---------------------------------------------------------- */

static int stream_like(void) { return kind == PIPE || kind == FIFO || kind == STREAM || kind == TCP; }

struct mqmsg { long mtype; char mtext[BIG]; };
static struct mqmsg mbuf;

/* Sends one message of n bytes from b. */
static void send_msg(const char *b, int n) {
    if (kind >= POSIX_MQ) { posix_send(b, n); return; }
    switch (kind) {
        case MQ:
            mbuf.mtype = parent ? 1 : 2;
            memcpy(mbuf.mtext, b, n);
            while (msgsnd(msqid, &mbuf, n, 0) < 0) if (errno != EINTR) die("msgsnd");
            return;
        case SEM: semop1(parent ? 0 : 1, 1); return;
        case SHM: memcpy(shm + (parent ? 0 : BIG), b, n); semop1(parent ? 0 : 1, 1); return;
        default: {
            int done = 0;
            while (done < n) {
                ssize_t w = kind == PIPE || kind == FIFO ? write(wfd, b + done, n - done)
                                                         : send(wfd, b + done, n - done, MSG_NOSIGNAL);
                if (w < 0) { if (errno == EINTR) continue; die("send"); }
                done += w;
            }
        }
    }
}

/* Receives one message of n bytes into b; returns its length (1 for a UDP end marker). */
static int recv_msg(char *b, int n) {
    if (kind >= POSIX_MQ) return posix_recv(b, n);
    switch (kind) {
        case MQ: {
            ssize_t r;
            while ((r = msgrcv(msqid, &mbuf, BIG, parent ? 2 : 1, 0)) < 0) if (errno != EINTR) die("msgrcv");
            memcpy(b, mbuf.mtext, r);
            return (int) r;
        }
        case SEM: semop1(parent ? 1 : 0, -1); return n;
        case SHM: semop1(parent ? 1 : 0, -1); memcpy(b, shm + (parent ? BIG : 0), n); return n;
        default: {
            int done = 0;
            while (done < n) {
                ssize_t r = kind == PIPE || kind == FIFO ? read(rfd, b + done, n - done) : recv(rfd, b + done, n - done, 0);
                if (r < 0) { if (errno == EINTR) continue; die("recv"); }
                if (r == 0) { fprintf(stderr, "bench_peer: peer closed\n"); exit(1); }
                if (!stream_like()) return (int) r;
                done += r;
            }
            return n;
        }
    }
}

/* One-way data message (parent to child), with the flow control each mechanism needs. */
static void send_data(const char *b, int n, long i) {
    if (kind >= POSIX_MQ) { posix_send_data(b, n); return; }
    if (kind == SEM) {          /* take a credit and post an item in one atomic semop */
        struct sembuf ops[2] = {{2, -1, 0}, {0, 1, 0}};
        while (semop(semid, ops, 2) < 0) if (errno != EINTR) die("semop");
    } else if (kind == SHM) {   /* ring of SLOTS slots: sem 2 = free slots, sem 0 = filled */
        semop1(2, -1);
        memcpy(shm + 2 * BIG + (i % SLOTS) * BIG, b, n);
        semop1(0, 1);
    } else {
        send_msg(b, n);
    }
}

static int recv_data(char *b, int n, long i) {
    if (kind >= POSIX_MQ) return posix_recv_data(b, n);
    if (kind == SEM) {
        struct sembuf ops[2] = {{0, -1, 0}, {2, 1, 0}};
        while (semop(semid, ops, 2) < 0) if (errno != EINTR) die("semop");
        return n;
    }
    if (kind == SHM) {
        semop1(0, -1);
        memcpy(b, shm + 2 * BIG + (i % SLOTS) * BIG, n);
        semop1(2, 1);
        return n;
    }
    return recv_msg(b, n);
}

static void reset_sems(void) {
    if (kind == SEM || kind == SHM) {
        unsigned short v[3] = {0, 0, kind == SEM ? CREDITS : SLOTS};
        if (semctl(semid, 0, SETALL, v) < 0) die("semctl SETALL");
    }
}

static void child_loop(long warm_rounds, long n64, long n4k) {
    static char b[BIG];
    for (long i = 0; i < warm_rounds; i++) {
        recv_msg(b, 64);
        send_msg(b, 64);
    }
    long ns[4] = {n64 / 5, n64, n4k / 5, n4k};
    int sizes[4] = {64, 64, BIG, BIG};
    for (int p = 0; p < 4; p++) {
        long count = 0;
        for (long i = 0; i < ns[p]; i++) {
            int r = recv_data(b, sizes[p], i);
            if (kind == UDP && r == 1) {
                if (b[0] == p + 1) break; /* this phase's end marker */
                i--;                      /* a late marker of the previous phase */
                continue;
            }
            count++;
        }
        memset(b, 0, 64);
        memcpy(b, &count, sizeof count);
        send_msg(b, 64);
    }
}

static int cmp(const void *a, const void *b) {
    long long x = *(const long long *) a, y = *(const long long *) b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    if (argc < 8) {
        fprintf(stderr, "usage: bench_peer MECH WARMUP ROUNDS N64 N4K CPU_PARENT CPU_CHILD [ARG...]\n");
        return 2;
    }
    const char *m = argv[1];
    long warm = atol(argv[2]), rounds = atol(argv[3]), n64 = atol(argv[4]), n4k = atol(argv[5]);
    int cpu_parent = atoi(argv[6]), cpu_child = atoi(argv[7]);
    const char *names[] = {"pipe", "fifo", "mq", "sem", "shm", "uds-stream", "uds-dgram", "uds-seqpacket", "tcp", "udp",
                           "posix-mq", "posix-sem"};
    int k = -1;
    for (int i = 0; i < 12; i++) if (strcmp(m, names[i]) == 0) k = i;
    if (k < 0) { fprintf(stderr, "bench_peer: unknown mechanism %s\n", m); return 2; }
    kind = (enum kind) k;
    int pfd[2] = {-1, -1}, cfd[2] = {-1, -1}; /* parent's read/write fds, child's read/write fds */
    switch (kind) {
        case PIPE: {
            int there[2], back[2];
            if (pipe2(there, O_CLOEXEC) < 0 || pipe2(back, O_CLOEXEC) < 0) die("pipe");
            pfd[0] = back[0]; pfd[1] = there[1]; cfd[0] = there[0]; cfd[1] = back[1];
            break;
        }
        case FIFO: break; /* opened after the fork */
        case POSIX_MQ: case POSIX_SEM: break; /* opened by name after the fork */
        case MQ: msqid = atoi(argv[8]); break;
        case SEM: semid = atoi(argv[8]); break;
        case SHM:
            semid = atoi(argv[9]);
            shm = shmat(atoi(argv[8]), NULL, 0);
            if (shm == (void *) -1) die("shmat");
            break;
        case STREAM: case DGRAM: case SEQPACKET: {
            int sv[2];
            if (socketpair(AF_UNIX, (kind == STREAM ? SOCK_STREAM : kind == DGRAM ? SOCK_DGRAM : SOCK_SEQPACKET) | SOCK_CLOEXEC, 0, sv) < 0)
                die("socketpair");
            pfd[0] = pfd[1] = sv[0]; cfd[0] = cfd[1] = sv[1];
            break;
        }
        case TCP: {
            int l = socket(AF_INET, SOCK_STREAM, 0), on = 1;
            struct sockaddr_in a = {.sin_family = AF_INET};
            a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            socklen_t len = sizeof a;
            if (bind(l, (struct sockaddr *) &a, sizeof a) < 0 || listen(l, 1) < 0) die("tcp listen");
            getsockname(l, (struct sockaddr *) &a, &len);
            int c = socket(AF_INET, SOCK_STREAM, 0);
            if (connect(c, (struct sockaddr *) &a, sizeof a) < 0) die("connect");
            int s = accept(l, NULL, NULL);
            close(l);
            setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
            setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
            pfd[0] = pfd[1] = s; cfd[0] = cfd[1] = c;
            break;
        }
        case UDP: {
            int s = socket(AF_INET, SOCK_DGRAM, 0), c = socket(AF_INET, SOCK_DGRAM, 0);
            struct sockaddr_in a = {.sin_family = AF_INET}, b;
            a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            b = a;
            socklen_t len = sizeof a;
            if (bind(s, (struct sockaddr *) &a, sizeof a) < 0 || bind(c, (struct sockaddr *) &b, sizeof b) < 0) die("udp bind");
            getsockname(s, (struct sockaddr *) &a, &len);
            len = sizeof b;
            getsockname(c, (struct sockaddr *) &b, &len);
            if (connect(s, (struct sockaddr *) &b, sizeof b) < 0 || connect(c, (struct sockaddr *) &a, sizeof a) < 0) die("udp connect");
            pfd[0] = pfd[1] = s; cfd[0] = cfd[1] = c;
            break;
        }
    }
    reset_sems();
    pid_t ppid = getpid();
    pid_t pid = fork();
    if (pid < 0) die("fork");
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != ppid) _exit(1);
        pin(cpu_child);
        if (pfd[0] >= 0) close(pfd[0]);
        if (pfd[1] >= 0 && pfd[1] != pfd[0]) close(pfd[1]);
        if (kind == FIFO) {
            if ((cfd[0] = open(argv[8], O_RDONLY)) < 0 || (cfd[1] = open(argv[9], O_WRONLY)) < 0) die("open fifo");
        }
        rfd = cfd[0]; wfd = cfd[1];
        if (kind >= POSIX_MQ) posix_open(argv);
        child_loop(warm + rounds, n64, n4k);
        _exit(0);
    }
    parent = 1;
    pin(cpu_parent);
    if (cfd[0] >= 0) close(cfd[0]);
    if (cfd[1] >= 0 && cfd[1] != cfd[0]) close(cfd[1]);
    if (kind == FIFO) {
        if ((pfd[1] = open(argv[8], O_WRONLY)) < 0 || (pfd[0] = open(argv[9], O_RDONLY)) < 0) die("open fifo");
    }
    rfd = pfd[0]; wfd = pfd[1];
    if (kind >= POSIX_MQ) posix_open(argv);

    static char b[BIG];
    long long *rtt = malloc(sizeof(long long) * (rounds > 0 ? rounds : 1));
    for (long i = 0; i < warm + rounds; i++) {
        long long t0 = now();
        send_msg(b, 64);
        recv_msg(b, 64);
        if (i >= warm) rtt[i - warm] = now() - t0;
    }
    long ns[4] = {n64 / 5, n64, n4k / 5, n4k}; /* untimed warm-up, then timed, for each size */
    int sizes[4] = {64, 64, BIG, BIG};
    long long took[4];
    long counts[4];
    for (int p = 0; p < 4; p++) {
        long long t0 = now();
        for (long i = 0; i < ns[p]; i++) send_data(b, sizes[p], i);
        if (kind == UDP) { /* end markers until the ack is there */
            struct pollfd f = {rfd, POLLIN, 0};
            char mark = (char) (p + 1);
            do send(wfd, &mark, 1, MSG_NOSIGNAL); while (poll(&f, 1, 2) == 0);
        }
        for (;;) { /* the ack (UDP: skip nothing else can arrive here) */
            int r = recv_msg(b, 64);
            if (r == 64) break;
        }
        took[p] = now() - t0;
        if (kind == SEM || kind == POSIX_SEM) counts[p] = ns[p]; /* no payload: every post arrived */
        else memcpy(&counts[p], b, sizeof counts[p]);
    }
    waitpid(pid, NULL, 0);
    qsort(rtt, rounds, sizeof *rtt, cmp);
    printf("rtt");
    for (long i = 0; i < rounds; i++) printf(" %lld", rtt[i]);
    printf("\nthr 64 %ld %lld\nthr %d %ld %lld\n", counts[1], took[1], BIG, counts[3], took[3]);
    return 0;
}
