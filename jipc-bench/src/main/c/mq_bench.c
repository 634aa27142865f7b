/* The C baseline of MessageQueueBench: one thread, one private queue, N rounds of
 * msgsnd(IPC_NOWAIT) + msgrcv(IPC_NOWAIT) with a SIZE-byte body, timed with
 * clock_gettime(CLOCK_MONOTONIC). Prints ns per round (one send + one receive), best of RUNS.
 *
 *   gcc -O2 -o mq_bench mq_bench.c && unshare --ipc ./mq_bench [SIZE [N [RUNS]]]
 */
#include <errno.h>
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
    double best = 1e18, empty_best = 1e18;
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
    }
    printf("C msgsnd+msgrcv IPC_NOWAIT, %zu-byte body: %.1f ns per pair (%.1f ns per call), best of %d x %ld\n",
           size, best, best / 2, runs, n);
    printf("C msgrcv IPC_NOWAIT on an empty queue (ENOMSG): %.1f ns per call\n", empty_best);
    msgctl(q, IPC_RMID, NULL);
    return 0;
}
