/* The C pair of `jipc bench` for the jipc channel (c/include/jipc_channel.h): parent and fork()ed
 * child, the same protocol as bench_peer.c and io.jipc.bench.Protocol.
 *
 *   channel_bench MECH WARMUP ROUNDS N64 N4K CPU_PARENT CPU_CHILD
 *
 * MECH: channel (both sides busy-spin while they wait) or channel-park (they sleep in a futex wait
 * at once: no spinning, no yielding). Two SPSC channels of 1 MiB in memfds, one per direction,
 * made before the fork; each process opens its own handles on the inherited descriptors. CPU_*: a
 * CPU to pin to, or -1. Output (stdout): "rtt NS NS ..." then "thr 64 COUNT NS" and
 * "thr 4096 COUNT NS".
 */
#define _GNU_SOURCE
#include "jipc_channel.h"
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#define BIG 4096
#define CAPACITY (1 << 20)

static jipc_channel *in, *out;
static int park;

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

static jipc_channel *handle(int fd) {
    jipc_channel *ch = jipc_channel_open_fd(fd);
    if (ch == NULL) die("jipc_channel_open_fd");
    if (park) {
        jipc_channel_idle(ch, 0, 0);
    } else {
        jipc_channel_idle(ch, -1, 0);
    }
    return ch;
}

static void send_msg(const char *b, int n) {
    if (jipc_channel_send(out, b, (size_t) n, -1) != 1) die("jipc_channel_send");
}

static int recv_msg(char *b, int n) {
    (void) n;
    long r = jipc_channel_receive(in, b, BIG, -1);
    if (r <= 0) die("jipc_channel_receive");
    return (int) r;
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
            recv_msg(b, sizes[p]);
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
        fprintf(stderr, "usage: channel_bench channel|channel-park WARMUP ROUNDS N64 N4K CPU_PARENT CPU_CHILD\n");
        return 2;
    }
    if (strcmp(argv[1], "channel") != 0 && strcmp(argv[1], "channel-park") != 0) {
        fprintf(stderr, "channel_bench: unknown mechanism %s\n", argv[1]);
        return 2;
    }
    park = strcmp(argv[1], "channel-park") == 0;
    long warm = atol(argv[2]), rounds = atol(argv[3]), n64 = atol(argv[4]), n4k = atol(argv[5]);
    int cpu_parent = atoi(argv[6]), cpu_child = atoi(argv[7]);
    int there = memfd_create("jipc-bench-there", 0), back = memfd_create("jipc-bench-back", 0);
    if (there < 0 || back < 0) die("memfd_create");
    jipc_channel *made[2] = {jipc_channel_create_fd(there, CAPACITY, JIPC_CH_SPSC),
                             jipc_channel_create_fd(back, CAPACITY, JIPC_CH_SPSC)};
    if (made[0] == NULL || made[1] == NULL) die("jipc_channel_create_fd");
    jipc_channel_close(made[0]);
    jipc_channel_close(made[1]);
    pid_t ppid = getpid();
    pid_t pid = fork();
    if (pid < 0) die("fork");
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != ppid) _exit(1);
        pin(cpu_child);
        in = handle(there);
        out = handle(back);
        child_loop(warm + rounds, n64, n4k);
        jipc_channel_close(in);
        jipc_channel_close(out);
        _exit(0);
    }
    pin(cpu_parent);
    in = handle(back);
    out = handle(there);

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
        for (long i = 0; i < ns[p]; i++) send_msg(b, sizes[p]);
        recv_msg(b, 64);
        took[p] = now() - t0;
        memcpy(&counts[p], b, sizeof counts[p]);
    }
    waitpid(pid, NULL, 0);
    qsort(rtt, rounds, sizeof *rtt, cmp);
    printf("rtt");
    for (long i = 0; i < rounds; i++) printf(" %lld", rtt[i]);
    printf("\nthr 64 %ld %lld\nthr %d %ld %lld\n", counts[1], took[1], BIG, counts[3], took[3]);
    jipc_channel_close(in);
    jipc_channel_close(out);
    return 0;
}
