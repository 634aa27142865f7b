/* pmq_sender: the active end of the message queue pair on a POSIX queue (twin of
 * PosixMqSender.java). Opens the queue pmq_receiver created ("/jipc-scores"), sends one
 * struct msg_st with the given priority (default 1) and prints "ok!". Without arguments it sends
 * "Alan" with random scores.
 *
 *   gcc -o pmq_sender pmq_sender.c && ./pmq_sender [NAME MATH CHINESE [PRIORITY]]
 */
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define QUEUE    "/jipc-scores"
#define NAMESIZE 32

struct msg_st {
    char name[NAMESIZE];
    int math;
    int chinese;
};

int main(int argc, char **argv) {
    mqd_t q = mq_open(QUEUE, O_WRONLY);
    if (q == (mqd_t) -1) { perror("mq_open()"); exit(1); }

    struct msg_st sbuf;
    memset(&sbuf, 0, sizeof sbuf);
    unsigned prio = 1;
    srand((unsigned) time(NULL));
    if (argc > 3) {
        strncpy(sbuf.name, argv[1], NAMESIZE - 1);
        sbuf.math = atoi(argv[2]);
        sbuf.chinese = atoi(argv[3]);
        if (argc > 4) prio = (unsigned) atoi(argv[4]);
    } else {
        strcpy(sbuf.name, "Alan");
        sbuf.math = rand() % 100;
        sbuf.chinese = rand() % 100;
    }
    if (mq_send(q, (const char *) &sbuf, sizeof sbuf, prio) < 0) { perror("mq_send()"); exit(1); }
    puts("ok!");
    mq_close(q);
    exit(0);
}
