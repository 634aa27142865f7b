/* The C twins of HotPathBench: the same system calls, in the same order, on the same kinds of
 * objects, as the Java benchmark methods; each function makes N rounds and returns the number of
 * failed rounds (0 expected). Built as a shared library by the benchmark's setup
 * (gcc -O2 -shared -fPIC) and called through one downcall per N rounds, so the downcall's own cost
 * is spread over N.
 *
 * A round gives and takes on one thread, so nothing waits: the blocking forms return at once,
 * which is the per-call cost of a hand-off without the scheduler's part.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/socket.h>
#include <unistd.h>

#define SMALL 64

struct mqmsg { long mtype; char mtext[8192]; };
static struct mqmsg mbuf;

/* msgsnd of a 64-byte body (copied into the message buffer, as a C program fills it) then
 * msgrcv of type 1 into the buffer and out to the caller's memory: one send + one receive. */
long mq_send_receive(int q, char *out, char *in, long n) {
    long bad = 0;
    for (long i = 0; i < n; i++) {
        mbuf.mtype = 1;
        memcpy(mbuf.mtext, out, SMALL);
        while (msgsnd(q, &mbuf, SMALL, 0) < 0) if (errno != EINTR) { bad++; break; }
        ssize_t r;
        while ((r = msgrcv(q, &mbuf, SMALL, 1, 0)) < 0) if (errno != EINTR) { bad++; break; }
        if (r > 0) memcpy(in, mbuf.mtext, r);
    }
    return bad;
}

/* msgrcv(IPC_NOWAIT) on an empty queue: ENOMSG. */
long mq_try_receive_empty(int q, long n) {
    long bad = 0;
    for (long i = 0; i < n; i++) {
        if (msgrcv(q, &mbuf, SMALL, 1, IPC_NOWAIT) >= 0 || errno != ENOMSG) bad++;
    }
    return bad;
}

static int semop1(int set, unsigned short num, short delta, short flags) {
    struct sembuf b = {num, delta, flags};
    int r;
    while ((r = semop(set, &b, 1)) < 0 && errno == EINTR) {
    }
    return r;
}

/* semop +1 then semop -1 on semaphore 0. */
long sem_up_down(int set, long n) {
    long bad = 0;
    for (long i = 0; i < n; i++) {
        if (semop1(set, 0, 1, 0) < 0) bad++;
        if (semop1(set, 0, -1, 0) < 0) bad++;
    }
    return bad;
}

/* semop(-1, IPC_NOWAIT) on semaphore 1, which stays at 0: EAGAIN. */
long sem_try_down_on_zero(int set, long n) {
    long bad = 0;
    for (long i = 0; i < n; i++) {
        if (semop1(set, 1, -1, IPC_NOWAIT) == 0 || errno != EAGAIN) bad++;
    }
    return bad;
}

/* The shm + semaphore hand-off of the bench: copy 64 bytes into the segment and post
 * (semaphore 0 +1), then take (semaphore 0 -1) and copy them out. */
long shm_handoff(int set, char *shm, char *out, char *in, long n) {
    long bad = 0;
    for (long i = 0; i < n; i++) {
        memcpy(shm, out, SMALL);
        if (semop1(set, 0, 1, 0) < 0) bad++;
        if (semop1(set, 0, -1, 0) < 0) bad++;
        memcpy(in, shm, SMALL);
    }
    return bad;
}

/* write(2) of 64 bytes then read(2) of them: a pipe, or a stream socket through read/write. */
long fd_write_read(int wfd, int rfd, char *out, char *in, long n) {
    long bad = 0;
    for (long i = 0; i < n; i++) {
        ssize_t w, r;
        while ((w = write(wfd, out, SMALL)) < 0 && errno == EINTR) {
        }
        while ((r = read(rfd, in, SMALL)) < 0 && errno == EINTR) {
        }
        if (w != SMALL || r != SMALL) bad++;
    }
    return bad;
}

/* send(2) of a 64-byte message then recv(2) of it on a socketpair (datagram or seqpacket). */
long sock_send_receive(int a, int b, char *out, char *in, long n) {
    long bad = 0;
    for (long i = 0; i < n; i++) {
        ssize_t w, r;
        while ((w = send(a, out, SMALL, MSG_NOSIGNAL)) < 0 && errno == EINTR) {
        }
        while ((r = recv(b, in, SMALL, 0)) < 0 && errno == EINTR) {
        }
        if (w != SMALL || r != SMALL) bad++;
    }
    return bad;
}

/* The same with sendmsg(2)/recvmsg(2) and one iovec, the calls jipc's UnixSocket makes (with its
 * receive flags: MSG_CMSG_CLOEXEC, and MSG_TRUNC on message sockets). */
long sock_sendmsg_recvmsg(int a, int b, char *out, char *in, long n, int rflags) {
    long bad = 0;
    struct iovec vo = {out, SMALL}, vi = {in, SMALL};
    struct msghdr mo = {0}, mi = {0};
    mo.msg_iov = &vo;
    mo.msg_iovlen = 1;
    mi.msg_iov = &vi;
    mi.msg_iovlen = 1;
    for (long i = 0; i < n; i++) {
        ssize_t w, r;
        while ((w = sendmsg(a, &mo, MSG_NOSIGNAL)) < 0 && errno == EINTR) {
        }
        mi.msg_flags = 0;
        while ((r = recvmsg(b, &mi, rflags)) < 0 && errno == EINTR) {
        }
        if (w != SMALL || r != SMALL) bad++;
    }
    return bad;
}
