/* C peer for the shared memory tests: the same system calls a C program would make.
 *   shm_peer write SHMID OFFSET HEX     copy bytes into the segment at OFFSET
 *   shm_peer read SHMID OFFSET LEN      print LEN bytes at OFFSET as lower-case hex
 *   shm_peer count SHMID N              the counter protocol: atomically add 1 to the ready word
 *                                       (offset 8), wait for the go word (offset 16) with an
 *                                       acquire load, then __atomic_fetch_add the counter
 *                                       (offset 0) N times
 *   shm_peer create KEY SIZE TEXT       create a segment for KEY, write TEXT at 0, print the
 *                                       shmid and exit (the segment outlives this process)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <time.h>

static void die(const char *what) {
    fprintf(stderr, "shm_peer: %s: %s\n", what, strerror(errno));
    exit(1);
}

static char *attach(int id, int flags) {
    void *p = shmat(id, NULL, flags);
    if (p == (void *) -1) die("shmat");
    return p;
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: shm_peer write|read|count|create ...\n"); return 2; }
    if (strcmp(argv[1], "write") == 0 && argc == 5) {
        char *p = attach(atoi(argv[2]), 0);
        long off = atol(argv[3]);
        const char *hex = argv[4];
        size_t n = strlen(hex) / 2;
        for (size_t i = 0; i < n; i++) {
            unsigned v;
            sscanf(hex + 2 * i, "%2x", &v);
            p[off + i] = (char) v;
        }
        if (shmdt(p) < 0) die("shmdt");
        return 0;
    }
    if (strcmp(argv[1], "read") == 0 && argc == 5) {
        unsigned char *p = (unsigned char *) attach(atoi(argv[2]), SHM_RDONLY);
        long off = atol(argv[3]), len = atol(argv[4]);
        for (long i = 0; i < len; i++) printf("%02x", p[off + i]);
        printf("\n");
        if (shmdt(p) < 0) die("shmdt");
        return 0;
    }
    if (strcmp(argv[1], "count") == 0 && argc == 4) {
        long *p = (long *) attach(atoi(argv[2]), 0);
        long n = atol(argv[3]);
        __atomic_fetch_add(&p[1], 1, __ATOMIC_SEQ_CST);
        time_t until = time(NULL) + 60;
        while (__atomic_load_n(&p[2], __ATOMIC_ACQUIRE) == 0) {
            if (time(NULL) > until) { fprintf(stderr, "shm_peer: no go signal in 60 s\n"); return 1; }
        }
        for (long i = 0; i < n; i++) __atomic_fetch_add(&p[0], 1, __ATOMIC_SEQ_CST);
        if (shmdt(p) < 0) die("shmdt");
        return 0;
    }
    if (strcmp(argv[1], "create") == 0 && argc == 5) {
        int id = shmget((key_t) strtol(argv[2], NULL, 0), (size_t) atol(argv[3]), IPC_CREAT | IPC_EXCL | 0600);
        if (id < 0) die("shmget");
        char *p = attach(id, 0);
        strcpy(p, argv[4]);
        if (shmdt(p) < 0) die("shmdt");
        printf("%d\n", id);
        return 0;
    }
    fprintf(stderr, "shm_peer: bad arguments\n");
    return 2;
}
