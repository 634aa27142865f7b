/* The C baseline of MessageQueueBench and NonBlockingCallBench: one thread, N rounds of each
 * non-blocking call, timed with clock_gettime(CLOCK_MONOTONIC), best of RUNS:
 * msgsnd(IPC_NOWAIT) + msgrcv(IPC_NOWAIT) with a SIZE-byte body on a private queue; msgrcv
 * IPC_NOWAIT on an empty queue; semop(-1, IPC_NOWAIT) on a semaphore at 0 (EAGAIN); read(2) on an
 * empty O_NONBLOCK pipe (EAGAIN).
 *
 *   gcc -O2 -o mq_bench mq_bench.c && unshare --ipc ./mq_bench [SIZE [N [RUNS]]]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/sem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/ipc.h>
#include <sys/msg.h>

struct msg { long mtype; char mtext[8192]; };

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv) {
    size_t size = argc > 1 ? (size_t) atol(argv[1]) : 64;
    long n = argc > 2 ? atol(argv[2]) : 1000000;
    int runs = argc > 3 ? atoi(argv[3]) : 5;
    if (size > sizeof(((struct msg *) 0)->mtext)) { fprintf(stderr, "SIZE too large\n"); return 2; }
    int q = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
    if (q < 0) { perror("msgget"); return 1; }
    static struct msg s, r;
    s.mtype = 1;
    memset(s.mtext, 7, size);
    int sem = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
    if (sem < 0) { perror("semget"); return 1; }
    int fds[2];
    if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) < 0) { perror("pipe2"); return 1; }
    struct sembuf down = { 0, -1, IPC_NOWAIT };
    char byte[64];
    double best = 1e18, empty_best = 1e18, sem_best = 1e18, pipe_best = 1e18;
    for (int run = 0; run < runs; run++) {
        double t0 = now_ns();
        for (long i = 0; i < n; i++) {
            if (msgsnd(q, &s, size, IPC_NOWAIT) < 0) { perror("msgsnd"); return 1; }
            if (msgrcv(q, &r, size, 0, IPC_NOWAIT) != (ssize_t) size) { perror("msgrcv"); return 1; }
        }
        double per = (now_ns() - t0) / n;
        if (per < best) best = per;
        t0 = now_ns();
        for (long i = 0; i < n; i++) {
            if (msgrcv(q, &r, size, 0, IPC_NOWAIT) >= 0 || errno != ENOMSG) { perror("msgrcv empty"); return 1; }
        }
        per = (now_ns() - t0) / n;
        if (per < empty_best) empty_best = per;
        t0 = now_ns();
        for (long i = 0; i < n; i++) {
            if (semop(sem, &down, 1) == 0 || errno != EAGAIN) { perror("semop"); return 1; }
        }
        per = (now_ns() - t0) / n;
        if (per < sem_best) sem_best = per;
        t0 = now_ns();
        for (long i = 0; i < n; i++) {
            if (read(fds[0], byte, sizeof byte) >= 0 || errno != EAGAIN) { perror("read"); return 1; }
        }
        per = (now_ns() - t0) / n;
        if (per < pipe_best) pipe_best = per;
    }
    printf("C msgsnd+msgrcv IPC_NOWAIT, %zu-byte body: %.1f ns per pair (%.1f ns per call), best of %d x %ld\n",
           size, best, best / 2, runs, n);
    printf("C msgrcv IPC_NOWAIT on an empty queue (ENOMSG): %.1f ns per call\n", empty_best);
    printf("C semop(-1, IPC_NOWAIT) on a semaphore at 0 (EAGAIN): %.1f ns per call\n", sem_best);
    printf("C read(2) on an empty O_NONBLOCK pipe (EAGAIN): %.1f ns per call\n", pipe_best);
    msgctl(q, IPC_RMID, NULL);
    semctl(sem, 0, IPC_RMID);
    close(fds[0]);
    close(fds[1]);
    return 0;
}
