/* C baseline for PipeBench: pipe_bench throughput MIB CAPACITY | pingpong ROUNDS (parent and forked child). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int cmp(const void *a, const void *b) {
    long long x = *(const long long *) a, y = *(const long long *) b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    if (argc == 4 && strcmp(argv[1], "throughput") == 0) {
        int mib = atoi(argv[2]), cap = atoi(argv[3]);
        int fd[2];
        if (pipe2(fd, O_CLOEXEC) < 0) return 1;
        if (cap > 0 && fcntl(fd[1], F_SETPIPE_SZ, cap) < 0) { perror("F_SETPIPE_SZ"); return 1; }
        static char buf[1 << 20];
        pid_t pid = fork();
        if (pid == 0) {
            close(fd[1]);
            long long total = 0, start = 0, measured = 0, warm = 256LL << 20;
            ssize_t r;
            while ((r = read(fd[0], buf, sizeof buf)) > 0) {
                total += r;
                if (start == 0 && total >= warm) { start = now(); measured = total; }
            }
            double s = (now() - start) / 1e9;
            printf("C    pipe 1MiB writes: %.2f GB/s (%lld MiB after %lld MiB warm-up)\n",
                   (total - measured) / s / 1e9, (total - measured) >> 20, measured >> 20);
            fflush(stdout);
            _exit(0);
        }
        close(fd[0]);
        for (int i = 0; i < mib; i++) {
            size_t off = 0;
            while (off < sizeof buf) {
                ssize_t w = write(fd[1], buf + off, sizeof buf - off);
                if (w < 0) { perror("write"); return 1; }
                off += w;
            }
        }
        close(fd[1]);
        waitpid(pid, NULL, 0);
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "pingpong") == 0) {
        int rounds = atoi(argv[2]), warm = 20000;
        int there[2], back[2];
        if (pipe2(there, O_CLOEXEC) < 0 || pipe2(back, O_CLOEXEC) < 0) return 1;
        char msg[64] = {0};
        pid_t pid = fork();
        if (pid == 0) {
            close(there[1]);
            close(back[0]);
            for (;;) {
                size_t got = 0;
                while (got < sizeof msg) {
                    ssize_t r = read(there[0], msg + got, sizeof msg - got);
                    if (r <= 0) _exit(0);
                    got += r;
                }
                if (write(back[1], msg, sizeof msg) < 0) _exit(1);
            }
        }
        close(there[0]);
        close(back[1]);
        long long *rtt = malloc(sizeof(long long) * rounds);
        double sum = 0;
        for (int i = 0; i < warm + rounds; i++) {
            long long t0 = now();
            if (write(there[1], msg, sizeof msg) < 0) return 1;
            size_t got = 0;
            while (got < sizeof msg) {
                ssize_t r = read(back[0], msg + got, sizeof msg - got);
                if (r <= 0) return 1;
                got += r;
            }
            if (i >= warm) { rtt[i - warm] = now() - t0; sum += rtt[i - warm]; }
        }
        close(there[1]);
        waitpid(pid, NULL, 0);
        qsort(rtt, rounds, sizeof *rtt, cmp);
        printf("C    pipe 64B ping-pong: RTT p50 %.1f us, p99 %.1f us, mean %.1f us (%d rounds)\n",
               rtt[rounds / 2] / 1e3, rtt[(int) (rounds * 0.99)] / 1e3, sum / rounds / 1e3, rounds);
        return 0;
    }
    fprintf(stderr, "usage: pipe_bench throughput MIB CAPACITY | pingpong ROUNDS\n");
    return 2;
}
