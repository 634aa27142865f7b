/*
 * sem_counter.c - the C twin of `jipc example sem-counter`.
 *
 * N processes each read a number from a file, add 1 and write it back, serialised by a System V
 * semaphore used as a lock (P = semop {0, -1, SEM_UNDO}, V = semop {0, +1, SEM_UNDO}); the result
 * is exactly N * ROUNDS. Semaphore 1 is a start gate so that every process starts contending at
 * once. The key is ftok(FILE, 'S'), so Java and C processes meet on the same set.
 *
 *   gcc -O2 -o sem_counter sem_counter.c
 *   ./sem_counter [NPROCS [ROUNDS]]      parent: makes a counter file and the set, forks NPROCS children
 *   ./sem_counter --child FILE ROUNDS    one child (the Java parent runs these in a mixed run)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

union semun { int val; struct semid_ds *buf; unsigned short *array; };

static void die(const char *what) { perror(what); exit(1); }

/* semop, retrying EINTR (semop is never restarted after a signal handler). */
static void sem_do(int id, unsigned short num, short op, short flg) {
    struct sembuf b = { num, op, flg };
    while (semop(id, &b, 1) < 0) {
        if (errno != EINTR) die("semop");
    }
}

/* Opens the set and waits (up to 10 s) until its creator has initialised it: sem_otime != 0. */
static int open_initialised(key_t key) {
    int id = semget(key, 0, 0);
    if (id < 0) die("semget");
    for (int i = 0; i < 10000; i++) {
        struct semid_ds ds;
        union semun arg = { .buf = &ds };
        if (semctl(id, 0, IPC_STAT, arg) < 0) die("semctl IPC_STAT");
        if (ds.sem_otime != 0) return id;
        usleep(1000);
    }
    fprintf(stderr, "the set was not initialised within 10 s\n");
    exit(1);
}

static int child(const char *file, int rounds) {
    key_t key = ftok(file, 'S');
    if (key == -1) die("ftok");
    int id = open_initialised(key);
    sem_do(id, 1, 0, 0);                          /* wait at the start gate (value 0) */
    for (int r = 0; r < rounds; r++) {
        sem_do(id, 0, -1, SEM_UNDO);              /* P: released by the kernel if we die */
        int fd = open(file, O_RDWR);
        if (fd < 0) die("open");
        char buf[32] = {0};
        if (read(fd, buf, sizeof buf - 1) < 0) die("read");
        long n = strtol(buf, NULL, 10) + 1;
        int len = snprintf(buf, sizeof buf, "%ld\n", n);
        if (ftruncate(fd, 0) < 0 || pwrite(fd, buf, len, 0) != len) die("write");
        close(fd);
        sem_do(id, 0, +1, SEM_UNDO);              /* V */
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 4 && strcmp(argv[1], "--child") == 0) return child(argv[2], atoi(argv[3]));
    int nprocs = argc > 1 ? atoi(argv[1]) : 20;
    int rounds = argc > 2 ? atoi(argv[2]) : 1;
    char file[] = "/tmp/sem_counter.XXXXXX";
    int fd = mkstemp(file);
    if (fd < 0 || write(fd, "0\n", 2) != 2) die("counter file");
    close(fd);
    key_t key = ftok(file, 'S');
    int id = semget(key, 2, IPC_CREAT | IPC_EXCL | 0600);
    if (id < 0) die("semget");
    unsigned short init[2] = { 1, 1 };            /* lock free, gate closed */
    union semun arg = { .array = init };
    if (semctl(id, 0, SETALL, arg) < 0) die("semctl SETALL");
    struct sembuf mark[2] = { {0, -1, 0}, {0, +1, 0} };
    if (semop(id, mark, 2) < 0) die("semop mark");  /* sem_otime != 0: initialised */
    for (int i = 0; i < nprocs; i++) {
        pid_t pid = fork();
        if (pid < 0) die("fork");
        if (pid == 0) exit(child(file, rounds));
    }
    for (int i = 0; i < 60000 && semctl(id, 1, GETZCNT) < nprocs; i++) usleep(1000);  /* all at the gate (60 s at most) */
    arg.val = 0;
    if (semctl(id, 1, SETVAL, arg) < 0) die("semctl SETVAL");
    int failed = 0, status;
    while (wait(&status) > 0) failed += !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    FILE *f = fopen(file, "r");
    long n = -1;
    if (!f || fscanf(f, "%ld", &n) != 1) die("read counter");
    fclose(f);
    semctl(id, 0, IPC_RMID);
    unlink(file);
    printf("counter = %ld (expected %d)\n", n, nprocs * rounds);
    return failed == 0 && n == (long) nprocs * rounds ? 0 : 1;
}
