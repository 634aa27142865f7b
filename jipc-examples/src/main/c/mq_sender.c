/* mq_sender: the active end of the seed's message queue pair (twin of MqSender.java).
 * Opens the queue mq_receiver created (ftok("/etc/services", 'g')), sends one struct msg_st
 * with mtype 1 and prints "ok!". Without arguments it sends "Alan" with random scores.
 *
 *   gcc -o mq_sender mq_sender.c && ./mq_sender [NAME MATH CHINESE]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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

int main(int argc, char **argv) {
    key_t key = ftok(KEYPATH, KEYPROJ);
    if (key < 0) { perror("ftok()"); exit(1); }
    int msgid = msgget(key, 0);
    if (msgid < 0) { perror("msgget()"); exit(1); }

    struct msg_st sbuf;
    memset(&sbuf, 0, sizeof sbuf);
    sbuf.mtype = 1;
    srand((unsigned) time(NULL));
    if (argc > 3) {
        strncpy(sbuf.name, argv[1], NAMESIZE - 1);
        sbuf.math = atoi(argv[2]);
        sbuf.chinese = atoi(argv[3]);
    } else {
        strcpy(sbuf.name, "Alan");
        sbuf.math = rand() % 100;
        sbuf.chinese = rand() % 100;
    }
    if (msgsnd(msgid, &sbuf, sizeof(sbuf) - sizeof(long), 0) < 0) { perror("msgsnd()"); exit(1); }
    puts("ok!");
    exit(0);
}
