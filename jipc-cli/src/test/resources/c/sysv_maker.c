/* Creates one object of each System V kind, uses each once so that the kernel records this
 * process's pid, prints "msqid semid shmid" and exits (leaving the objects behind, with a dead
 * pid). Usage: sysv_maker MSGKEY SEMKEY SHMKEY (keys in C notation: 0x... or decimal). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

union semun { int val; struct semid_ds *buf; unsigned short *array; };

static int die(const char *what) { perror(what); return 1; }

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: %s MSGKEY SEMKEY SHMKEY\n", argv[0]); return 2; }
    key_t mk = (key_t) strtoul(argv[1], NULL, 0), sk = (key_t) strtoul(argv[2], NULL, 0),
          hk = (key_t) strtoul(argv[3], NULL, 0);

    int q = msgget(mk, IPC_CREAT | IPC_EXCL | 0640);
    if (q < 0) return die("msgget");
    struct { long mtype; char mtext[16]; } m = {1, "hello"};
    if (msgsnd(q, &m, 5, 0) < 0) return die("msgsnd");
    m.mtype = 2; memcpy(m.mtext, "seven77", 7);
    if (msgsnd(q, &m, 7, 0) < 0) return die("msgsnd");

    int s = semget(sk, 3, IPC_CREAT | IPC_EXCL | 0600);
    if (s < 0) return die("semget");
    unsigned short init[3] = {1, 0, 5};
    union semun arg = {.array = init};
    if (semctl(s, 0, SETALL, arg) < 0) return die("semctl SETALL");
    struct sembuf up = {2, 1, 0};
    if (semop(s, &up, 1) < 0) return die("semop");

    int h = shmget(hk, 12345, IPC_CREAT | IPC_EXCL | 0604);
    if (h < 0) return die("shmget");
    void *p = shmat(h, NULL, 0);
    if (p == (void *) -1) return die("shmat");
    strcpy(p, "made by C");
    if (shmdt(p) < 0) return die("shmdt");

    printf("%d %d %d\n", q, s, h);
    return 0;
}
