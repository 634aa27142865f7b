/* pmq_receiver: the passive end of the message queue pair on a POSIX queue (twin of
 * PosixMqReceiver.java; the System V pair is mq_receiver.c / mq_sender.c).
 * Runs first: creates the queue "/jipc-scores" (mode 0600, 10 messages of sizeof(struct msg_st)
 * bytes) and prints every struct msg_st it receives, highest priority first, with its priority.
 * With COUNT it stops after that many messages; without, on Ctrl-C. Either way it unlinks the
 * name (a POSIX queue outlives its processes until then).
 *
 *   gcc -o pmq_receiver pmq_receiver.c && ./pmq_receiver [COUNT]
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QUEUE    "/jipc-scores"
#define NAMESIZE 32

struct msg_st {              /* no mtype: a POSIX message carries a priority instead */
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
    struct mq_attr attr = {.mq_maxmsg = 10, .mq_msgsize = sizeof(struct msg_st)};
    mqd_t q = mq_open(QUEUE, O_RDONLY | O_CREAT, 0600, &attr);
    if (q == (mqd_t) -1) { perror("mq_open()"); exit(1); }

    /* No SA_RESTART: Ctrl-C ends a blocked mq_receive with EINTR, and we clean up. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    fprintf(stderr, "pmq_receiver: waiting on %s\n", QUEUE);
    int rc = 0;
    for (long i = 0; count < 0 || i < count; i++) {
        struct msg_st rbuf;
        unsigned prio;
        /* the buffer must hold mq_msgsize bytes: exactly one struct here */
        if (mq_receive(q, (char *) &rbuf, sizeof rbuf, &prio) < 0) {
            if (errno == EINTR && stop) break;
            if (errno == EINTR) { i--; continue; }
            perror("mq_receive()");
            rc = 1;
            break;
        }
        rbuf.name[NAMESIZE - 1] = '\0';
        printf("PRIORITY = %u\n", prio);
        printf("NAME = %s\n", rbuf.name);
        printf("MATH = %d\n", rbuf.math);
        printf("CHINESE = %d\n", rbuf.chinese);
        fflush(stdout);
    }
    mq_close(q);
    if (mq_unlink(QUEUE) < 0 && errno != ENOENT) perror("mq_unlink()");
    exit(rc);
}
