/*
 * psem_counter.c - the C twin of `jipc example psem-counter`: the semaphore counter on named
 * POSIX semaphores (sem_open) instead of a System V set.
 *
 * N processes each read a number from a file, add 1 and write it back, serialised by the named
 * semaphore "/<file's name>.lock" (value 1: sem_wait = P, sem_post = V); the result is exactly
 * N * ROUNDS. Two more semaphores make everybody start at once: each child posts ".ready" and
 * waits on ".gate"; the parent waits for N readies, then posts the gate N times. The names come
 * from the counter file's name, so Java and C processes meet on the same semaphores.
 * Unlike SEM_UNDO, nothing releases the lock of a process that dies holding it.
 *
 *   gcc -O2 -o psem_counter psem_counter.c
 *   ./psem_counter [NPROCS [ROUNDS]]      parent: makes a counter file and the semaphores, forks NPROCS
 *   ./psem_counter --child FILE ROUNDS    one child (the Java parent runs these in a mixed run)
 */
#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void die(const char *what) { perror(what); exit(1); }

/* "/tmp/psem-counter.XXXXXX" + ".lock" -> "/psem-counter.XXXXXX.lock" */
static void sem_name(char *out, size_t n, const char *file, const char *suffix) {
    const char *base = strrchr(file, '/');
    snprintf(out, n, "/%s.%s", base ? base + 1 : file, suffix);
}

static sem_t *open_sem(const char *file, const char *suffix) {
    char name[256];
    sem_name(name, sizeof name, file, suffix);
    sem_t *s = sem_open(name, 0);
    if (s == SEM_FAILED) die("sem_open");
    return s;
}

/* sem_wait, retrying EINTR. */
static void p(sem_t *s) {
    while (sem_wait(s) < 0) {
        if (errno != EINTR) die("sem_wait");
    }
}

static int child(const char *file, int rounds) {
    sem_t *lock = open_sem(file, "lock"), *gate = open_sem(file, "gate"), *ready = open_sem(file, "ready");
    if (sem_post(ready) < 0) die("sem_post");
    p(gate);
    for (int r = 0; r < rounds; r++) {
        p(lock);
        int fd = open(file, O_RDWR);
        if (fd < 0) die("open");
        char buf[32] = {0};
        if (read(fd, buf, sizeof buf - 1) < 0) die("read");
        long n = strtol(buf, NULL, 10) + 1;
        int len = snprintf(buf, sizeof buf, "%ld\n", n);
        if (ftruncate(fd, 0) < 0 || pwrite(fd, buf, len, 0) != len) die("write");
        close(fd);
        if (sem_post(lock) < 0) die("sem_post");
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 4 && strcmp(argv[1], "--child") == 0) return child(argv[2], atoi(argv[3]));
    int nprocs = argc > 1 ? atoi(argv[1]) : 20;
    int rounds = argc > 2 ? atoi(argv[2]) : 1;
    char file[] = "/tmp/psem-counter.XXXXXX";
    int fd = mkstemp(file);
    if (fd < 0 || write(fd, "0\n", 2) != 2) die("counter file");
    close(fd);
    const char *suffixes[3] = {"lock", "gate", "ready"};
    unsigned values[3] = {1, 0, 0};
    sem_t *sems[3];
    char names[3][256];
    for (int i = 0; i < 3; i++) {
        sem_name(names[i], sizeof names[i], file, suffixes[i]);
        sems[i] = sem_open(names[i], O_CREAT | O_EXCL, 0600, values[i]);
        if (sems[i] == SEM_FAILED) die("sem_open O_CREAT");
    }
    for (int i = 0; i < nprocs; i++) {
        pid_t pid = fork();
        if (pid < 0) die("fork");
        if (pid == 0) exit(child(file, rounds));
    }
    for (int i = 0; i < nprocs; i++) p(sems[2]);     /* everybody is at the gate */
    for (int i = 0; i < nprocs; i++) sem_post(sems[1]); /* open it */
    int failed = 0, status;
    while (wait(&status) > 0) failed += !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    FILE *f = fopen(file, "r");
    long n = -1;
    if (!f || fscanf(f, "%ld", &n) != 1) die("read counter");
    fclose(f);
    for (int i = 0; i < 3; i++) { sem_close(sems[i]); sem_unlink(names[i]); }
    unlink(file);
    printf("counter = %ld (expected %d)\n", n, nprocs * rounds);
    return failed == 0 && n == (long) nprocs * rounds ? 0 : 1;
}
