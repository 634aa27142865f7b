/* C peer for the io.jipc.posix tests: the same objects as the Java side, through glibc.
 *   posix_peer mq-send NAME PRIO HEX [PRIO HEX...]  mq_open(O_WRONLY); mq_send each body (HEX "-" = empty)
 *   posix_peer mq-recv NAME N                       mq_open(O_RDONLY); N x mq_receive: "PRIO HEX" lines
 *   posix_peer mq-create NAME MAXMSG MSGSIZE        mq_open(O_CREAT|O_EXCL, 0600): prints "created"
 *   posix_peer mq-attr NAME                         "maxmsg msgsize curmsgs"
 *   posix_peer mq-recv-fd FD N                      N x mq_receive on an inherited queue descriptor
 *   posix_peer sem-post NAME N                      sem_open(0); N x sem_post
 *   posix_peer sem-wait NAME N                      sem_open(0); N x sem_wait; prints the value after
 *   posix_peer sem-value NAME                       sem_getvalue
 *   posix_peer sem-create NAME VALUE                sem_open(O_CREAT|O_EXCL, 0600, VALUE)
 *   posix_peer shm-write NAME OFFSET HEX            shm_open(O_RDWR); mmap; write the bytes
 *   posix_peer shm-read NAME OFFSET LEN             shm_open(O_RDONLY); mmap read-only; print HEX
 *   posix_peer shm-create NAME SIZE                 shm_open(O_CREAT|O_EXCL, 0600); ftruncate
 *   posix_peer unnamed-sem SHM OFFSET post|wait N   sem_post/sem_wait N times on a sem_t in shm
 *   posix_peer counter SEM SHM OFFSET N             N x {sem_wait; x = *p; sched_yield; *p = x + 1; sem_post}
 *   posix_peer memfd SOCKFD                         receive a memfd over SCM_RIGHTS on the inherited
 *                                                   socket; print its size, seals and contents (HEX);
 *                                                   send back a new sealed memfd holding "from C"
 *   posix_peer eventfd FD read|write [N]            read(2)/write(2) 8 bytes on an inherited eventfd
 * Exit 0 on success; on failure perror and a nonzero exit.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <sched.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static void die(const char *what) { perror(what); exit(3); }

static size_t unhex(const char *hex, unsigned char *out) {
    if (strcmp(hex, "-") == 0) return 0;
    size_t n = strlen(hex) / 2;
    for (size_t i = 0; i < n; i++) sscanf(hex + 2 * i, "%2hhx", &out[i]);
    return n;
}

static void hex(const unsigned char *b, size_t n) {
    for (size_t i = 0; i < n; i++) printf("%02x", b[i]);
    if (n == 0) printf("-");
}

static void *map_shm(const char *name, int writable, size_t *size) {
    int fd = shm_open(name, writable ? O_RDWR : O_RDONLY, 0);
    if (fd < 0) die("shm_open");
    struct stat st;
    if (fstat(fd, &st) < 0) die("fstat");
    void *p = mmap(NULL, st.st_size, writable ? PROT_READ | PROT_WRITE : PROT_READ, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) die("mmap");
    close(fd);
    *size = st.st_size;
    return p;
}

static int receive_all(mqd_t q, int n) {
    struct mq_attr a;
    if (mq_getattr(q, &a) < 0) die("mq_getattr");
    unsigned char *buf = malloc(a.mq_msgsize);
    for (int i = 0; i < n; i++) {
        unsigned prio;
        ssize_t r = mq_receive(q, (char *) buf, a.mq_msgsize, &prio);
        if (r < 0) die("mq_receive");
        printf("%u ", prio);
        hex(buf, r);
        printf("\n");
    }
    return 0;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc < 3) { fprintf(stderr, "usage: see the comment\n"); return 2; }
    const char *cmd = argv[1];
    if (strcmp(cmd, "mq-send") == 0) {
        mqd_t q = mq_open(argv[2], O_WRONLY);
        if (q < 0) die("mq_open");
        unsigned char buf[65536];
        for (int i = 3; i + 1 < argc; i += 2) {
            size_t n = unhex(argv[i + 1], buf);
            if (mq_send(q, (char *) buf, n, (unsigned) atoi(argv[i])) < 0) die("mq_send");
        }
        return 0;
    }
    if (strcmp(cmd, "mq-recv") == 0) {
        mqd_t q = mq_open(argv[2], O_RDONLY);
        if (q < 0) die("mq_open");
        return receive_all(q, atoi(argv[3]));
    }
    if (strcmp(cmd, "mq-recv-fd") == 0) {
        return receive_all(atoi(argv[2]), atoi(argv[3]));
    }
    if (strcmp(cmd, "mq-create") == 0) {
        struct mq_attr a = {.mq_maxmsg = atol(argv[3]), .mq_msgsize = atol(argv[4])};
        mqd_t q = mq_open(argv[2], O_RDWR | O_CREAT | O_EXCL, 0600, &a);
        if (q < 0) die("mq_open");
        printf("created\n");
        return 0;
    }
    if (strcmp(cmd, "mq-attr") == 0) {
        mqd_t q = mq_open(argv[2], O_RDONLY);
        struct mq_attr a;
        if (q < 0 || mq_getattr(q, &a) < 0) die("mq_getattr");
        printf("%ld %ld %ld\n", a.mq_maxmsg, a.mq_msgsize, a.mq_curmsgs);
        return 0;
    }
    if (strcmp(cmd, "sem-post") == 0 || strcmp(cmd, "sem-wait") == 0 || strcmp(cmd, "sem-value") == 0) {
        sem_t *s = sem_open(argv[2], 0);
        if (s == SEM_FAILED) die("sem_open");
        int n = argc > 3 ? atoi(argv[3]) : 0;
        for (int i = 0; i < n; i++) {
            if ((cmd[4] == 'p' ? sem_post(s) : sem_wait(s)) < 0) die("sem_post/sem_wait");
        }
        int v;
        if (sem_getvalue(s, &v) < 0) die("sem_getvalue");
        printf("%d\n", v);
        return sem_close(s) < 0;
    }
    if (strcmp(cmd, "sem-create") == 0) {
        sem_t *s = sem_open(argv[2], O_CREAT | O_EXCL, 0600, (unsigned) atoi(argv[3]));
        if (s == SEM_FAILED) die("sem_open");
        printf("created\n");
        return 0;
    }
    if (strcmp(cmd, "shm-write") == 0) {
        size_t size;
        unsigned char *p = map_shm(argv[2], 1, &size);
        unsigned char buf[65536];
        size_t n = unhex(argv[4], buf);
        memcpy(p + atol(argv[3]), buf, n);
        return 0;
    }
    if (strcmp(cmd, "shm-read") == 0) {
        size_t size;
        unsigned char *p = map_shm(argv[2], 0, &size);
        hex(p + atol(argv[3]), atol(argv[4]));
        printf("\n");
        return 0;
    }
    if (strcmp(cmd, "shm-create") == 0) {
        int fd = shm_open(argv[2], O_RDWR | O_CREAT | O_EXCL, 0600);
        if (fd < 0 || ftruncate(fd, atol(argv[3])) < 0) die("shm_open/ftruncate");
        printf("created\n");
        return 0;
    }
    if (strcmp(cmd, "unnamed-sem") == 0) {
        size_t size;
        unsigned char *p = map_shm(argv[2], 1, &size);
        sem_t *s = (sem_t *) (p + atol(argv[3]));
        int n = atoi(argv[5]);
        for (int i = 0; i < n; i++) {
            if ((argv[4][0] == 'p' ? sem_post(s) : sem_wait(s)) < 0) die("sem_post/sem_wait");
        }
        return 0;
    }
    if (strcmp(cmd, "counter") == 0) {
        sem_t *s = sem_open(argv[2], 0);
        if (s == SEM_FAILED) die("sem_open");
        size_t size;
        unsigned char *p = map_shm(argv[3], 1, &size);
        volatile int64_t *c = (volatile int64_t *) (p + atol(argv[4]));
        long n = atol(argv[5]);
        for (long i = 0; i < n; i++) {
            if (sem_wait(s) < 0) die("sem_wait");
            int64_t x = *c;
            sched_yield(); /* widen the window a missing exclusion would show in */
            *c = x + 1;
            if (sem_post(s) < 0) die("sem_post");
        }
        return 0;
    }
    if (strcmp(cmd, "memfd") == 0) {
        int sock = atoi(argv[2]);
        char tag;
        struct iovec iov = {&tag, 1};
        union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } u;
        struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
        if (recvmsg(sock, &m, MSG_CMSG_CLOEXEC) != 1) die("recvmsg");
        struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
        if (!cm || cm->cmsg_type != SCM_RIGHTS) { fprintf(stderr, "no descriptor\n"); return 4; }
        int fd;
        memcpy(&fd, CMSG_DATA(cm), sizeof fd);
        struct stat st;
        if (fstat(fd, &st) < 0) die("fstat");
        int seals = fcntl(fd, F_GET_SEALS);
        unsigned char *p = mmap(NULL, st.st_size, PROT_READ, MAP_SHARED, fd, 0);
        if (p == MAP_FAILED) die("mmap");
        printf("%ld %d ", (long) st.st_size, seals);
        hex(p, st.st_size);
        printf("\n");
        /* the other direction: a new memfd, sealed, back to the sender */
        int back = memfd_create("from-c", MFD_CLOEXEC | MFD_ALLOW_SEALING);
        if (back < 0 || write(back, "from C", 6) != 6) die("memfd_create/write");
        if (fcntl(back, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0) die("F_ADD_SEALS");
        memcpy(CMSG_DATA(cm), &back, sizeof back);
        m.msg_controllen = CMSG_SPACE(sizeof(int));
        tag = 'c';
        if (sendmsg(sock, &m, MSG_NOSIGNAL) != 1) die("sendmsg");
        return 0;
    }
    if (strcmp(cmd, "eventfd") == 0) {
        int fd = atoi(argv[2]);
        uint64_t v;
        if (argv[3][0] == 'r') {
            if (read(fd, &v, 8) != 8) die("read");
            printf("%llu\n", (unsigned long long) v);
        } else {
            v = strtoull(argv[4], NULL, 10);
            if (write(fd, &v, 8) != 8) die("write");
        }
        return 0;
    }
    fprintf(stderr, "unknown command %s\n", cmd);
    return 2;
}
