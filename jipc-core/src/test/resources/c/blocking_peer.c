/* Peer for the blocking-call tests (BlockingTest and friends).
 *   blocking_peer sigstorm PID TID SIG INTERVAL_US DURATION_MS   tgkill(PID, TID, SIG) repeatedly
 *   blocking_peer semop SEMID NUM DELTA                           one semop (as another process)
 *   blocking_peer write PATH TEXT                                 open(PATH, O_WRONLY), write TEXT
 *   blocking_peer layout                                          struct sigaction size/offsets
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <sys/sem.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc >= 7 && strcmp(argv[1], "sigstorm") == 0) {
        int pid = atoi(argv[2]), tid = atoi(argv[3]), sig = atoi(argv[4]);
        long interval = atol(argv[5]), duration = atol(argv[6]);
        struct timespec start, now;
        clock_gettime(CLOCK_MONOTONIC, &start);
        long sent = 0;
        for (;;) {
            clock_gettime(CLOCK_MONOTONIC, &now);
            long ms = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
            if (ms >= duration) break;
            if (syscall(SYS_tgkill, pid, tid, sig) != 0) { perror("tgkill"); break; }
            sent++;
            usleep(interval);
        }
        printf("%ld\n", sent);
        return 0;
    }
    if (argc >= 5 && strcmp(argv[1], "semop") == 0) {
        struct sembuf op = { (unsigned short) atoi(argv[3]), (short) atoi(argv[4]), 0 };
        if (semop(atoi(argv[2]), &op, 1) != 0) { perror("semop"); return 1; }
        return 0;
    }
    if (argc >= 4 && strcmp(argv[1], "write") == 0) {
        int fd = open(argv[2], O_WRONLY);
        if (fd < 0) { perror("open"); return 1; }
        size_t n = strlen(argv[3]);
        if (write(fd, argv[3], n) != (ssize_t) n) { perror("write"); return 1; }
        close(fd);
        return 0;
    }
    if (argc >= 2 && strcmp(argv[1], "layout") == 0) {
        printf("%zu %zu %zu %zu %zu\n", sizeof(struct sigaction), offsetof(struct sigaction, sa_handler),
               offsetof(struct sigaction, sa_mask), offsetof(struct sigaction, sa_flags),
               offsetof(struct sigaction, sa_restorer));
        return 0;
    }
    fprintf(stderr, "usage: see the comment at the top of blocking_peer.c\n");
    return 2;
}
