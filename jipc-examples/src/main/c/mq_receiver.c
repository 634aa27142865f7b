/* mq_receiver: the passive end of the seed's message queue pair (twin of MqReceiver.java).
 * Runs first: creates the queue ftok("/etc/services", 'g') with mode 0600 and prints every
 * struct msg_st it receives. With COUNT it stops after that many messages; without, on Ctrl-C.
 * Either way it removes the queue (a System V queue outlives its processes).
 *
 *   gcc -o mq_receiver mq_receiver.c && ./mq_receiver [COUNT]
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/types.h>

#define KEYPATH  "/etc/services"
#define KEYPROJ  'g'
#define NAMESIZE 32

struct msg_st {
    long mtype;
    char name[NAMESIZE];
    int math;
    int chinese;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig) {
    (void) sig;
    stop = 1;
}

int main(int argc, char **argv) {
    long count = argc > 1 ? atol(argv[1]) : -1;
    key_t key = ftok(KEYPATH, KEYPROJ);
    if (key < 0) { perror("ftok()"); exit(1); }
    int msgid = msgget(key, IPC_CREAT | 0600);
    if (msgid < 0) { perror("msgget()"); exit(1); }

    /* No SA_RESTART: Ctrl-C ends a blocked msgrcv with EINTR, and we clean up. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    fprintf(stderr, "mq_receiver: waiting on msqid %d (key 0x%08x)\n", msgid, (unsigned) key);
    int rc = 0;
    for (long i = 0; count < 0 || i < count; i++) {
        struct msg_st rbuf;
        if (msgrcv(msgid, &rbuf, sizeof(rbuf) - sizeof(long), 0, 0) < 0) {
            if (errno == EINTR && stop) break;
            if (errno == EINTR) { i--; continue; }
            perror("msgrcv()");
            rc = 1;
            break;
        }
        rbuf.name[NAMESIZE - 1] = '\0';
        printf("NAME = %s\n", rbuf.name);
        printf("MATH = %d\n", rbuf.math);
        printf("CHINESE = %d\n", rbuf.chinese);
        fflush(stdout);
    }
    if (msgctl(msgid, IPC_RMID, NULL) < 0 && errno != EINVAL && errno != EIDRM) perror("msgctl()");
    exit(rc);
}
