/* A C peer for the message queue tests: the same msgsnd/msgrcv/msgctl calls a C program makes.
 *
 *   mq_peer send MSQID TYPE HEX [nowait]          exit 0 sent, 3 queue full (EAGAIN)
 *   mq_peer recv MSQID MSGTYP MAX [nowait|noerror|except|copy]...
 *                                                 prints "TYPE SIZE HEX", exit 3 when nothing (ENOMSG)
 *   mq_peer rm MSQID                              msgctl(IPC_RMID)
 *   mq_peer get KEY                               msgget(KEY, 0): prints the msqid
 * Failures print "ERR ENAME" on stdout and exit 1. HEX "-" is the empty body.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>

struct msgbuf_big { long mtype; unsigned char mtext[1 << 20]; };
static struct msgbuf_big buf;

static int fail(void) {
    printf("ERR %s\n", strerrorname_np(errno));
    return 1;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: mq_peer send|recv|rm|get ...\n");
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "get") == 0) {
        int id = msgget((key_t) strtol(argv[2], NULL, 0), 0);
        if (id < 0) return fail();
        printf("%d\n", id);
        return 0;
    }
    int msqid = atoi(argv[2]);
    if (strcmp(cmd, "rm") == 0) {
        if (msgctl(msqid, IPC_RMID, NULL) < 0) return fail();
        return 0;
    }
    if (strcmp(cmd, "send") == 0) {
        buf.mtype = atol(argv[3]);
        const char *hex = argv[4];
        size_t n = strcmp(hex, "-") == 0 ? 0 : strlen(hex) / 2;
        for (size_t i = 0; i < n; i++) sscanf(hex + 2 * i, "%2hhx", &buf.mtext[i]);
        int flags = argc > 5 && strcmp(argv[5], "nowait") == 0 ? IPC_NOWAIT : 0;
        if (msgsnd(msqid, &buf, n, flags) < 0) {
            if (errno == EAGAIN) { puts("FULL"); return 3; }
            return fail();
        }
        puts("SENT");
        return 0;
    }
    if (strcmp(cmd, "recv") == 0) {
        long msgtyp = atol(argv[3]);
        size_t max = (size_t) atol(argv[4]);
        int flags = 0;
        for (int i = 5; i < argc; i++) {
            if (strcmp(argv[i], "nowait") == 0) flags |= IPC_NOWAIT;
            else if (strcmp(argv[i], "noerror") == 0) flags |= MSG_NOERROR;
            else if (strcmp(argv[i], "except") == 0) flags |= MSG_EXCEPT;
            else if (strcmp(argv[i], "copy") == 0) flags |= MSG_COPY;
        }
        fflush(stdout);
        ssize_t n = msgrcv(msqid, &buf, max, msgtyp, flags);
        if (n < 0) {
            if (errno == ENOMSG) { puts("EMPTY"); return 3; }
            return fail();
        }
        printf("%ld %zd ", buf.mtype, n);
        for (ssize_t i = 0; i < n; i++) printf("%02x", buf.mtext[i]);
        printf("\n");
        return 0;
    }
    fprintf(stderr, "unknown command %s\n", cmd);
    return 2;
}
