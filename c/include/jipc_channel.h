/*
 * jipc_channel.h -- the jipc shared-memory message channel in C: one header, C11 atomics and the
 * futex system call, no other dependency. It reads and writes the same format as the Java
 * library's io.jipc.channel (docs/channel-format.md, format version 1), so a C program and a Java
 * program can share one channel, as reader or writers.
 *
 *   #include "jipc_channel.h"            (compile with -std=gnu11, or define _GNU_SOURCE first)
 *
 *   jipc_channel *ch = jipc_channel_open("prices");        // /dev/shm/prices, made by jipc or C
 *   jipc_channel_offer(ch, buf, len);                       // 1 sent, 0 full, -1 error
 *   long n = jipc_channel_receive(ch, buf, sizeof buf, -1); // length; 0 timed out; -1 error
 *   jipc_channel_close(ch);
 *
 * A handle takes a role on first use: the reader role on the first receive/poll, a writer entry
 * on the first offer/send/claim; close gives them back. A handle is used by one thread at a time.
 * Every function returns -1 (or NULL) with errno set on failure: EBUSY (the role is held by a
 * live process), EMSGSIZE (message too long for the channel or the buffer), EINVAL (bad
 * argument), EBADMSG (not a channel, or a corrupt one), or the errno of the failing system call.
 * Messages have 1 .. jipc_channel_max_message(ch) bytes.
 *
 * Define JIPC_CHANNEL_HOOK(point) before including to run code at the numbered steps of a write
 * (tests stop a writer there to kill it mid-message): 1 intent recorded, 2 tail advanced, 3 padding
 * written, then for a copied message 6 payload copied, 4 header stored, 5 tag stored (published),
 * 7 before the wake-up; for a claim 4, 5 (claimed header published), 7 after the commit.
 */
#ifndef JIPC_CHANNEL_H
#define JIPC_CHANNEL_H

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <sched.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef JIPC_CHANNEL_HOOK
#define JIPC_CHANNEL_HOOK(point) ((void) 0)
#endif

/* ---- the format (docs/channel-format.md; io.jipc.channel.Format is the Java side) ---------- */

#define JIPC_CH_MAGIC               0x4E4148434350494AULL /* "JIPCCHAN" in memory order */
#define JIPC_CH_INITIALIZING        0x2E2E2E2E2E2E2E2EULL /* magic while the creator writes */
#define JIPC_CH_VERSION             1
#define JIPC_CH_SPSC                1
#define JIPC_CH_MPSC                2

#define JIPC_CH_MAGIC_OFFSET        0
#define JIPC_CH_VERSION_OFFSET      8
#define JIPC_CH_KIND_OFFSET         12
#define JIPC_CH_CAPACITY_OFFSET     16
#define JIPC_CH_DATA_OFFSET_OFFSET  24
#define JIPC_CH_ALIGNMENT_OFFSET    28
#define JIPC_CH_MAX_WRITERS_OFFSET  32
#define JIPC_CH_MAX_MESSAGE_OFFSET  36
#define JIPC_CH_SALT_OFFSET         40
#define JIPC_CH_CREATOR_PID_OFFSET  48
#define JIPC_CH_FLAGS_OFFSET        52
#define JIPC_CH_CREATED_OFFSET      56
#define JIPC_CH_HEAD_OFFSET         128
#define JIPC_CH_TAIL_OFFSET         256
#define JIPC_CH_READER_SIGNAL_OFFSET 384
#define JIPC_CH_SPACE_SIGNAL_OFFSET 512
#define JIPC_CH_READER_OWNER_OFFSET 640
#define JIPC_CH_ABANDONED_OFFSET    648
#define JIPC_CH_WRITER_LOCK_OFFSET  768
#define JIPC_CH_WRITER_TABLE_OFFSET 1024
#define JIPC_CH_BLOCK               128
#define JIPC_CH_WRITER_OWNER        0
#define JIPC_CH_WRITER_CLAIM_POSITION 8
#define JIPC_CH_WRITER_CLAIM_SIZE   16

#define JIPC_CH_RECORD_HEADER       16
#define JIPC_CH_ALIGNMENT           16
#define JIPC_CH_RECORD_LENGTH       0
#define JIPC_CH_RECORD_INFO         4
#define JIPC_CH_RECORD_TAG          8
#define JIPC_CH_TYPE_DATA           1
#define JIPC_CH_TYPE_PADDING        2
#define JIPC_CH_TYPE_MASK           0xff
#define JIPC_CH_SLOT_SHIFT          16
#define JIPC_CH_WAITERS             1u

#define JIPC_CH_MIN_CAPACITY        1024ULL
#define JIPC_CH_MAX_CAPACITY        (1ULL << 30)
#define JIPC_CH_MAX_WRITERS_LIMIT   1024
#define JIPC_CH_DEFAULT_SPSC_WRITERS 4
#define JIPC_CH_DEFAULT_MPSC_WRITERS 64
#define JIPC_CH_PAGE                4096ULL

/* ---- the handle ---------------------------------------------------------------------------- */

typedef struct jipc_channel {
    uint8_t *base;          /* the mapping */
    size_t size;
    int shm;                /* 1: attached with shmat (detach with shmdt) */
    uint8_t *data;          /* the data area */
    uint64_t capacity, mask, salt;
    uint32_t kind, max_writers, max_message;
    uint64_t self;          /* this process's owner word */
    int spins, yields;      /* idle strategy: spins, then yields, then futex wait */
    /* writer role */
    int slot;               /* -1 until the first write */
    uint64_t tail;          /* SPSC: the tail this writer owns */
    uint64_t head_cache;
    uint32_t reader_signal;
    int64_t claimed;        /* position of the open claim, or -1 */
    uint32_t claimed_len;
    /* reader role */
    int reader;
    uint64_t head;          /* consumed up to here */
    uint64_t published;     /* head as last stored in the region (receive publishes lazily) */
    uint64_t backoff_ns;
    uint32_t empty_rounds;  /* reads that found nothing; every 64th looks at a stuck head */
    uint64_t stuck_at, stuck_since;
} jipc_channel;

typedef void (*jipc_channel_handler)(const void *message, size_t length, void *arg);

/* ---- helpers ------------------------------------------------------------------------------- */

#define JIPC_CH_U64(ch, off) ((_Atomic uint64_t *) ((ch)->base + (off)))
#define JIPC_CH_U32(ch, off) ((_Atomic uint32_t *) ((ch)->base + (off)))
#define JIPC_CH_I32(ch, off) ((_Atomic int32_t *) ((ch)->base + (off)))

static inline void jipc_ch_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

static inline uint64_t jipc_ch_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t) t.tv_sec * 1000000000ULL + (uint64_t) t.tv_nsec;
}

static inline uint64_t jipc_ch_record_size(uint64_t length) {
    return (length + JIPC_CH_RECORD_HEADER + JIPC_CH_ALIGNMENT - 1) & ~(uint64_t) (JIPC_CH_ALIGNMENT - 1);
}

static inline uint64_t jipc_ch_data_offset(uint32_t max_writers) {
    uint64_t end = JIPC_CH_WRITER_TABLE_OFFSET + (uint64_t) JIPC_CH_BLOCK * max_writers;
    return (end + JIPC_CH_PAGE - 1) & ~(JIPC_CH_PAGE - 1);
}

static inline uint32_t jipc_ch_max_message_of(uint64_t capacity) {
    uint64_t m = capacity / 4 - JIPC_CH_RECORD_HEADER;
    return m > (uint64_t) INT_MAX - 64 ? (uint32_t) (INT_MAX - 64) : (uint32_t) m;
}

static inline uint64_t jipc_ch_writer_entry(int slot) {
    return JIPC_CH_WRITER_TABLE_OFFSET + (uint64_t) JIPC_CH_BLOCK * (uint64_t) slot;
}

/* Field 22 of /proc/WHO/stat (start time in clock ticks), or -1 if gone or a zombie. */
static inline long long jipc_ch_start_time(const char *who) {
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%s/stat", who);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return -1;
    }
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) {
        return -1;
    }
    buf[n] = 0;
    char *p = strrchr(buf, ')');
    if (p == NULL || p[1] != ' ') {
        return -1;
    }
    p += 2; /* field 3, the state */
    if (*p == 'Z' || *p == 'X' || *p == 'x') {
        return -1;
    }
    for (int field = 3; field < 22; field++) {
        p = strchr(p, ' ');
        if (p == NULL) {
            return -1;
        }
        p++;
    }
    return (long long) (strtoull(p, NULL, 10) & 0xffffffffULL);
}

static inline uint64_t jipc_ch_owner_word(int pid, long long start) {
    return (uint64_t) (uint32_t) pid | ((uint64_t) start << 32);
}

/* Whether the process of an owner word still runs (0 for no owner). */
static inline int jipc_ch_alive(uint64_t owner) {
    char who[16];
    if (owner == 0) {
        return 0;
    }
    snprintf(who, sizeof who, "%d", (int) (uint32_t) owner);
    long long start = jipc_ch_start_time(who);
    return start >= 0 && (uint32_t) start == (uint32_t) (owner >> 32);
}

/* Takes an owner word (0 or a dead owner -> this process). Returns 0, or the live owner. */
static inline uint64_t jipc_ch_take_owner(jipc_channel *ch, uint64_t off) {
    for (;;) {
        uint64_t o = atomic_load_explicit(JIPC_CH_U64(ch, off), memory_order_seq_cst);
        if (o != 0 && (o == ch->self || jipc_ch_alive(o))) {
            return o;
        }
        if (atomic_compare_exchange_strong_explicit(JIPC_CH_U64(ch, off), &o, ch->self,
                                                    memory_order_seq_cst, memory_order_seq_cst)) {
            return 0;
        }
    }
}

static inline void jipc_ch_release_owner(jipc_channel *ch, uint64_t off) {
    uint64_t me = ch->self;
    atomic_compare_exchange_strong_explicit(JIPC_CH_U64(ch, off), &me, 0, memory_order_seq_cst,
                                            memory_order_seq_cst);
}

static inline long jipc_ch_futex_wait(_Atomic uint32_t *word, uint32_t expected, int64_t deadline_ns) {
    struct timespec ts, *tp = NULL;
    if (deadline_ns >= 0) {
        ts.tv_sec = deadline_ns / 1000000000LL;
        ts.tv_nsec = deadline_ns % 1000000000LL;
        tp = &ts;
    }
    /* Shared futex (no FUTEX_PRIVATE_FLAG): waiter and waker may be different processes. */
    return syscall(SYS_futex, (uint32_t *) word, FUTEX_WAIT_BITSET, expected, tp, NULL, FUTEX_BITSET_MATCH_ANY);
}

/* Wakes the sleepers of a signal word if its waiters bit is set (bump sequence, clear bit). */
static inline void jipc_ch_wake(jipc_channel *ch, uint64_t off) {
    _Atomic uint32_t *w = JIPC_CH_U32(ch, off);
    uint32_t s = atomic_load_explicit(w, memory_order_seq_cst);
    while (s & JIPC_CH_WAITERS) {
        if (atomic_compare_exchange_weak_explicit(w, &s, (s + 2) & ~JIPC_CH_WAITERS, memory_order_seq_cst,
                                                  memory_order_seq_cst)) {
            syscall(SYS_futex, (uint32_t *) w, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
            return;
        }
    }
}

/* ---- opening ------------------------------------------------------------------------------- */

static inline int jipc_ch_validate(jipc_channel *ch) {
    uint64_t deadline = jipc_ch_now() + 2000000000ULL;
    if (ch->size < JIPC_CH_WRITER_TABLE_OFFSET) {
        errno = EBADMSG;
        return -1;
    }
    for (;;) {
        /* acquire: pairs with the creator's release store of the magic */
        uint64_t magic = atomic_load_explicit(JIPC_CH_U64(ch, JIPC_CH_MAGIC_OFFSET), memory_order_acquire);
        if (magic == JIPC_CH_MAGIC) {
            break;
        }
        if ((magic != 0 && magic != JIPC_CH_INITIALIZING) || jipc_ch_now() > deadline) {
            errno = EBADMSG;
            return -1;
        }
        usleep(1000);
    }
    uint8_t *b = ch->base;
    uint32_t version, alignment, data_offset;
    memcpy(&version, b + JIPC_CH_VERSION_OFFSET, 4);
    memcpy(&ch->kind, b + JIPC_CH_KIND_OFFSET, 4);
    memcpy(&ch->capacity, b + JIPC_CH_CAPACITY_OFFSET, 8);
    memcpy(&data_offset, b + JIPC_CH_DATA_OFFSET_OFFSET, 4);
    memcpy(&alignment, b + JIPC_CH_ALIGNMENT_OFFSET, 4);
    memcpy(&ch->max_writers, b + JIPC_CH_MAX_WRITERS_OFFSET, 4);
    memcpy(&ch->max_message, b + JIPC_CH_MAX_MESSAGE_OFFSET, 4);
    memcpy(&ch->salt, b + JIPC_CH_SALT_OFFSET, 8);
    uint64_t c = ch->capacity;
    uint64_t head = atomic_load_explicit(JIPC_CH_U64(ch, JIPC_CH_HEAD_OFFSET), memory_order_acquire);
    uint64_t tail = atomic_load_explicit(JIPC_CH_U64(ch, JIPC_CH_TAIL_OFFSET), memory_order_acquire);
    if (version != JIPC_CH_VERSION || (ch->kind != JIPC_CH_SPSC && ch->kind != JIPC_CH_MPSC)
        || c < JIPC_CH_MIN_CAPACITY || c > JIPC_CH_MAX_CAPACITY || (c & (c - 1)) != 0
        || alignment != JIPC_CH_ALIGNMENT || ch->max_writers < 1 || ch->max_writers > JIPC_CH_MAX_WRITERS_LIMIT
        || data_offset < JIPC_CH_WRITER_TABLE_OFFSET + (uint64_t) JIPC_CH_BLOCK * ch->max_writers
        || data_offset % JIPC_CH_BLOCK != 0 || ch->size < data_offset + c
        || ch->max_message < 1 || ch->max_message > jipc_ch_max_message_of(c) || (ch->salt >> 63) == 0
        || tail < head || tail - head > c || head % JIPC_CH_ALIGNMENT != 0 || tail % JIPC_CH_ALIGNMENT != 0
        || (int64_t) head < 0) {
        errno = EBADMSG;
        return -1;
    }
    ch->mask = c - 1;
    ch->data = b + data_offset;
    return 0;
}

static inline jipc_channel *jipc_ch_new(uint8_t *base, size_t size, int shm) {
    jipc_channel *ch = calloc(1, sizeof *ch);
    if (ch == NULL) {
        return NULL;
    }
    ch->base = base;
    ch->size = size;
    ch->shm = shm;
    ch->self = jipc_ch_owner_word(getpid(), jipc_ch_start_time("self"));
    ch->spins = 1000;
    ch->yields = 50;
    ch->slot = -1;
    ch->claimed = -1;
    ch->backoff_ns = 50000;
    ch->stuck_at = UINT64_MAX;
    return ch;
}

static inline void jipc_ch_unmap(jipc_channel *ch) {
    if (ch->shm) {
        shmdt(ch->base);
    } else {
        munmap(ch->base, ch->size);
    }
}

/* Formats a zero-filled region if nobody did (magic 0 -> INITIALIZING by CAS), then validates. */
static inline int jipc_ch_format(jipc_channel *ch, uint32_t kind, uint64_t capacity) {
    uint64_t zero = 0;
    if (atomic_compare_exchange_strong_explicit(JIPC_CH_U64(ch, JIPC_CH_MAGIC_OFFSET), &zero,
                                                JIPC_CH_INITIALIZING, memory_order_seq_cst, memory_order_seq_cst)) {
        uint32_t writers = kind == JIPC_CH_SPSC ? JIPC_CH_DEFAULT_SPSC_WRITERS : JIPC_CH_DEFAULT_MPSC_WRITERS;
        uint32_t data = (uint32_t) jipc_ch_data_offset(writers);
        uint32_t version = JIPC_CH_VERSION, alignment = JIPC_CH_ALIGNMENT, maxm = jipc_ch_max_message_of(capacity);
        uint32_t pid = (uint32_t) getpid(), flags = 0;
        uint64_t salt, created;
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        created = (uint64_t) now.tv_sec * 1000000000ULL + (uint64_t) now.tv_nsec;
        salt = (created * 0x9E3779B97F4A7C15ULL) ^ ((uint64_t) pid << 17) ^ (uint64_t) (uintptr_t) ch;
        salt |= 1ULL << 63;
        uint8_t *b = ch->base;
        memcpy(b + JIPC_CH_VERSION_OFFSET, &version, 4);
        memcpy(b + JIPC_CH_KIND_OFFSET, &kind, 4);
        memcpy(b + JIPC_CH_CAPACITY_OFFSET, &capacity, 8);
        memcpy(b + JIPC_CH_DATA_OFFSET_OFFSET, &data, 4);
        memcpy(b + JIPC_CH_ALIGNMENT_OFFSET, &alignment, 4);
        memcpy(b + JIPC_CH_MAX_WRITERS_OFFSET, &writers, 4);
        memcpy(b + JIPC_CH_MAX_MESSAGE_OFFSET, &maxm, 4);
        memcpy(b + JIPC_CH_SALT_OFFSET, &salt, 8);
        memcpy(b + JIPC_CH_CREATOR_PID_OFFSET, &pid, 4);
        memcpy(b + JIPC_CH_FLAGS_OFFSET, &flags, 4);
        memcpy(b + JIPC_CH_CREATED_OFFSET, &created, 8);
        /* release: pairs with the opener's acquire load of the magic in jipc_ch_validate() */
        atomic_store_explicit(JIPC_CH_U64(ch, JIPC_CH_MAGIC_OFFSET), JIPC_CH_MAGIC, memory_order_release);
    }
    return jipc_ch_validate(ch);
}

static inline uint64_t jipc_channel_region_size(int kind, uint64_t capacity) {
    uint32_t writers = kind == JIPC_CH_SPSC ? JIPC_CH_DEFAULT_SPSC_WRITERS : JIPC_CH_DEFAULT_MPSC_WRITERS;
    return jipc_ch_data_offset(writers) + capacity;
}

static inline jipc_channel *jipc_ch_map_fd(int fd, int format, uint32_t kind, uint64_t capacity) {
    struct stat st;
    if (fstat(fd, &st) < 0) {
        return NULL;
    }
    if ((uint64_t) st.st_size < JIPC_CH_WRITER_TABLE_OFFSET) {
        errno = EBADMSG;
        return NULL;
    }
    void *p = mmap(NULL, (size_t) st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) {
        return NULL;
    }
    jipc_channel *ch = jipc_ch_new(p, (size_t) st.st_size, 0);
    if (ch == NULL) {
        munmap(p, (size_t) st.st_size);
        return NULL;
    }
    if ((format ? jipc_ch_format(ch, kind, capacity) : jipc_ch_validate(ch)) < 0) {
        int e = errno;
        jipc_ch_unmap(ch);
        free(ch);
        errno = e;
        return NULL;
    }
    return ch;
}

static inline int jipc_ch_path(char *out, size_t cap, const char *name) {
    if (name == NULL || *name == 0 || strchr(name, '/') != NULL || strcmp(name, ".") == 0 || strcmp(name, "..") == 0
        || (size_t) snprintf(out, cap, "/dev/shm/%s", name) >= cap) {
        errno = EINVAL;
        return -1;
    }
    return 0;
}

/* Opens an existing channel: NAME as the CLI takes it (/dev/shm/NAME). NULL + errno on failure. */
static inline jipc_channel *jipc_channel_open(const char *name) {
    char path[4096];
    if (jipc_ch_path(path, sizeof path, name) < 0) {
        return NULL;
    }
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        return NULL;
    }
    uint64_t deadline = jipc_ch_now() + 2000000000ULL;
    struct stat st;
    while (fstat(fd, &st) == 0 && (uint64_t) st.st_size < JIPC_CH_WRITER_TABLE_OFFSET && jipc_ch_now() < deadline) {
        usleep(1000); /* a creator between creating and sizing the file */
    }
    jipc_channel *ch = jipc_ch_map_fd(fd, 0, 0, 0);
    int e = errno;
    close(fd);
    errno = e;
    return ch;
}

/* Makes a channel in a file or memfd given as a descriptor (sized here with ftruncate; the
   descriptor stays the caller's), or opens the one it holds. */
static inline jipc_channel *jipc_channel_create_fd(int fd, uint64_t capacity, int kind) {
    if ((kind != JIPC_CH_SPSC && kind != JIPC_CH_MPSC) || capacity < JIPC_CH_MIN_CAPACITY
        || capacity > JIPC_CH_MAX_CAPACITY || (capacity & (capacity - 1)) != 0) {
        errno = EINVAL;
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) < 0) {
        return NULL;
    }
    uint64_t size = jipc_channel_region_size(kind, capacity);
    if ((uint64_t) st.st_size < size && ftruncate(fd, (off_t) size) < 0) {
        return NULL;
    }
    return jipc_ch_map_fd(fd, 1, (uint32_t) kind, capacity);
}

/* Opens the channel in a file or memfd given as a descriptor (which stays the caller's). */
static inline jipc_channel *jipc_channel_open_fd(int fd) {
    return jipc_ch_map_fd(fd, 0, 0, 0);
}

/* Opens the channel in a System V segment. */
static inline jipc_channel *jipc_channel_open_shm(int shmid) {
    struct shmid_ds ds;
    if (shmctl(shmid, IPC_STAT, &ds) < 0) {
        return NULL;
    }
    void *p = shmat(shmid, NULL, 0);
    if (p == (void *) -1) {
        return NULL;
    }
    jipc_channel *ch = jipc_ch_new(p, ds.shm_segsz, 1);
    if (ch == NULL) {
        shmdt(p);
        return NULL;
    }
    if (jipc_ch_validate(ch) < 0) {
        shmdt(p);
        free(ch);
        errno = EBADMSG;
        return NULL;
    }
    return ch;
}

/* Creates /dev/shm/NAME with exactly MODE, or opens the channel it holds.
   KIND is JIPC_CH_SPSC or JIPC_CH_MPSC; CAPACITY a power of two from 1 KiB to 1 GiB. */
static inline jipc_channel *jipc_channel_create(const char *name, uint64_t capacity, int kind, int mode) {
    char path[4096];
    if (jipc_ch_path(path, sizeof path, name) < 0) {
        return NULL;
    }
    if ((kind != JIPC_CH_SPSC && kind != JIPC_CH_MPSC) || capacity < JIPC_CH_MIN_CAPACITY
        || capacity > JIPC_CH_MAX_CAPACITY || (capacity & (capacity - 1)) != 0 || (mode & ~0777) != 0) {
        errno = EINVAL;
        return NULL;
    }
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) {
        return errno == EEXIST ? jipc_channel_open(name) : NULL;
    }
    if (fchmod(fd, (mode_t) mode) < 0 || ftruncate(fd, (off_t) jipc_channel_region_size(kind, capacity)) < 0) {
        int e = errno;
        close(fd);
        unlink(path);
        errno = e;
        return NULL;
    }
    jipc_channel *ch = jipc_ch_map_fd(fd, 1, (uint32_t) kind, capacity);
    int e = errno;
    close(fd);
    if (ch == NULL) {
        unlink(path);
    }
    errno = e;
    return ch;
}

/* Removes /dev/shm/NAME (mappings stay valid until closed). */
static inline int jipc_channel_unlink(const char *name) {
    char path[4096];
    if (jipc_ch_path(path, sizeof path, name) < 0) {
        return -1;
    }
    return unlink(path);
}

static inline uint32_t jipc_channel_max_message(const jipc_channel *ch) {
    return ch->max_message;
}

/* Sets the idle strategy: SPINS busy rounds, YIELDS sched_yield rounds, then a futex wait
   (SPINS < 0: spin forever, never sleep). */
static inline void jipc_channel_idle(jipc_channel *ch, int spins, int yields) {
    ch->spins = spins;
    ch->yields = yields;
}

/* ---- writing ------------------------------------------------------------------------------- */

static inline int jipc_ch_settled(jipc_channel *ch, int i) {
    uint64_t e = jipc_ch_writer_entry(i);
    uint64_t p = atomic_load_explicit(JIPC_CH_U64(ch, e + JIPC_CH_WRITER_CLAIM_POSITION), memory_order_acquire);
    uint64_t s = atomic_load_explicit(JIPC_CH_U64(ch, e + JIPC_CH_WRITER_CLAIM_SIZE), memory_order_acquire);
    if (p + s <= atomic_load_explicit(JIPC_CH_U64(ch, JIPC_CH_HEAD_OFFSET), memory_order_acquire)) {
        return 1;
    }
    for (uint64_t pos = p; pos < p + s;) {
        uint8_t *at = ch->data + (pos & ch->mask);
        if (atomic_load_explicit((_Atomic uint64_t *) (at + JIPC_CH_RECORD_TAG), memory_order_acquire)
            != (pos ^ ch->salt)) {
            return 0;
        }
        int32_t len = atomic_load_explicit((_Atomic int32_t *) (at + JIPC_CH_RECORD_LENGTH), memory_order_acquire);
        if (len < 0) {
            return 0;
        }
        pos += jipc_ch_record_size((uint64_t) len);
    }
    return 1;
}

/* Takes the writer role: the SPSC write side, then an entry of the writer table. */
static inline int jipc_ch_attach_writer(jipc_channel *ch) {
    if (ch->slot >= 0) {
        return 0;
    }
    if (ch->kind == JIPC_CH_SPSC && jipc_ch_take_owner(ch, JIPC_CH_WRITER_LOCK_OFFSET) != 0) {
        errno = EBUSY;
        return -1;
    }
    for (int pass = 0; pass < 2; pass++) {
        for (uint32_t i = 0; i < ch->max_writers; i++) {
            uint64_t off = jipc_ch_writer_entry((int) i) + JIPC_CH_WRITER_OWNER;
            uint64_t o = atomic_load_explicit(JIPC_CH_U64(ch, off), memory_order_seq_cst);
            if ((pass == 0 ? o == 0 : (o != 0 && o != ch->self && !jipc_ch_alive(o))) && jipc_ch_settled(ch, (int) i)
                && atomic_compare_exchange_strong_explicit(JIPC_CH_U64(ch, off), &o, ch->self, memory_order_seq_cst,
                                                           memory_order_seq_cst)) {
                uint64_t e = jipc_ch_writer_entry((int) i);
                atomic_store_explicit(JIPC_CH_U64(ch, e + JIPC_CH_WRITER_CLAIM_SIZE), 0, memory_order_relaxed);
                atomic_store_explicit(JIPC_CH_U64(ch, e + JIPC_CH_WRITER_CLAIM_POSITION), 0, memory_order_release);
                ch->slot = (int) i;
                ch->head_cache = atomic_load_explicit(JIPC_CH_U64(ch, JIPC_CH_HEAD_OFFSET), memory_order_acquire);
                ch->tail = atomic_load_explicit(JIPC_CH_U64(ch, JIPC_CH_TAIL_OFFSET), memory_order_acquire);
                return 0;
            }
        }
    }
    if (ch->kind == JIPC_CH_SPSC) {
        jipc_ch_release_owner(ch, JIPC_CH_WRITER_LOCK_OFFSET);
    }
    errno = EBUSY;
    return -1;
}

/* Claims one record of LEN bytes (plus padding at the wrap); returns its position, or -1 if full. */
static inline int64_t jipc_ch_claim_space(jipc_channel *ch, uint32_t len) {
    uint64_t size = jipc_ch_record_size(len), t, pad, end;
    uint64_t entry = jipc_ch_writer_entry(ch->slot);
    _Atomic uint64_t *claim_size = JIPC_CH_U64(ch, entry + JIPC_CH_WRITER_CLAIM_SIZE);
    _Atomic uint64_t *claim_pos = JIPC_CH_U64(ch, entry + JIPC_CH_WRITER_CLAIM_POSITION);
    _Atomic uint64_t *tailp = JIPC_CH_U64(ch, JIPC_CH_TAIL_OFFSET);
    for (;;) {
        t = ch->kind == JIPC_CH_SPSC ? ch->tail : atomic_load_explicit(tailp, memory_order_acquire);
        uint64_t index = t & ch->mask;
        pad = index + size > ch->capacity ? ch->capacity - index : 0;
        end = t + pad + size;
        if (end - ch->head_cache > ch->capacity) {
            /* acquire: pairs with the reader's seq_cst store of head */
            ch->head_cache = atomic_load_explicit(JIPC_CH_U64(ch, JIPC_CH_HEAD_OFFSET), memory_order_acquire);
            if (end - ch->head_cache > ch->capacity) {
                return -1;
            }
        }
        /* the intent, for a reader that finds this claim without a header (this process died):
           release stores, paired with the reader's acquire loads in jipc_ch_skip_abandoned() */
        atomic_store_explicit(claim_size, pad + size, memory_order_release);
        atomic_store_explicit(claim_pos, t, memory_order_release);
        JIPC_CHANNEL_HOOK(1);
        if (ch->kind == JIPC_CH_SPSC) {
            /* seq_cst store (a full fence): publishes the claim and the intent, and orders them
               before the read of the reader signal below (Dekker): pairs with the reader's CAS of
               the waiters bit before it reads tail in jipc_ch_park() */
            atomic_store_explicit(tailp, end, memory_order_seq_cst);
            ch->tail = end;
            break;
        }
        /* seq_cst CAS: claims [t, end); same pairs as the SPSC store above */
        if (atomic_compare_exchange_strong_explicit(tailp, &t, end, memory_order_seq_cst, memory_order_seq_cst)) {
            break;
        }
        /* lost the race: withdraw the intent (release: pairs with the reader's acquire loads) */
        atomic_store_explicit(claim_size, 0, memory_order_release);
    }
    JIPC_CHANNEL_HOOK(2);
    /* seq_cst load after the full fence: the other half of the Dekker pair */
    ch->reader_signal = atomic_load_explicit(JIPC_CH_U32(ch, JIPC_CH_READER_SIGNAL_OFFSET), memory_order_seq_cst);
    uint32_t slot = (uint32_t) ch->slot << JIPC_CH_SLOT_SHIFT;
    if (pad > 0) {
        uint8_t *at = ch->data + (t & ch->mask);
        atomic_store_explicit((_Atomic int32_t *) (at + JIPC_CH_RECORD_LENGTH), (int32_t) (pad - JIPC_CH_RECORD_HEADER),
                              memory_order_relaxed);
        atomic_store_explicit((_Atomic uint32_t *) (at + JIPC_CH_RECORD_INFO), JIPC_CH_TYPE_PADDING | slot,
                              memory_order_relaxed);
        /* release: the padding is committed as it appears; pairs with the reader's acquire of the tag */
        atomic_store_explicit((_Atomic uint64_t *) (at + JIPC_CH_RECORD_TAG), t ^ ch->salt, memory_order_release);
        JIPC_CHANNEL_HOOK(3);
    }
    return (int64_t) (t + pad);
}

/* Writes a record's header, LENGTH negative for a zero-copy claim (claimed, not committed) or
   positive for a copied message whose payload is in place, and publishes it by its tag. */
static inline void jipc_ch_header(jipc_channel *ch, uint64_t pos, int32_t length) {
    uint8_t *at = ch->data + (pos & ch->mask);
    atomic_store_explicit((_Atomic int32_t *) (at + JIPC_CH_RECORD_LENGTH), length, memory_order_relaxed);
    atomic_store_explicit((_Atomic uint32_t *) (at + JIPC_CH_RECORD_INFO),
                          JIPC_CH_TYPE_DATA | ((uint32_t) ch->slot << JIPC_CH_SLOT_SHIFT), memory_order_relaxed);
    JIPC_CHANNEL_HOOK(4);
    /* release: publishes the header (and, for a copied message, the payload written before it);
       pairs with the reader's acquire load of the tag */
    atomic_store_explicit((_Atomic uint64_t *) (at + JIPC_CH_RECORD_TAG), pos ^ ch->salt, memory_order_release);
    JIPC_CHANNEL_HOOK(5);
}

static inline void jipc_ch_wake_reader(jipc_channel *ch) {
    if ((ch->reader_signal | atomic_load_explicit(JIPC_CH_U32(ch, JIPC_CH_READER_SIGNAL_OFFSET), memory_order_relaxed))
        & JIPC_CH_WAITERS) {
        jipc_ch_wake(ch, JIPC_CH_READER_SIGNAL_OFFSET);
    }
}

/* A copied message: the payload, then the header with its positive length, published at once by
   the tag, so that a reader never reads the record's line in the middle of the writing. */
static inline void jipc_ch_publish_whole(jipc_channel *ch, uint64_t pos, const void *buf, size_t len) {
    memcpy(ch->data + (pos & ch->mask) + JIPC_CH_RECORD_HEADER, buf, len);
    JIPC_CHANNEL_HOOK(6);
    jipc_ch_header(ch, pos, (int32_t) len);
    JIPC_CHANNEL_HOOK(7);
    jipc_ch_wake_reader(ch);
}

/* Commits a zero-copy claim: one release store of the positive length. */
static inline void jipc_ch_publish(jipc_channel *ch, uint64_t pos, uint32_t len) {
    uint8_t *at = ch->data + (pos & ch->mask);
    /* release: the commit; pairs with the reader's acquire load of the length */
    atomic_store_explicit((_Atomic int32_t *) (at + JIPC_CH_RECORD_LENGTH), (int32_t) len, memory_order_release);
    JIPC_CHANNEL_HOOK(7);
    jipc_ch_wake_reader(ch);
}

static inline int jipc_ch_check_write(jipc_channel *ch, size_t len) {
    if (ch->claimed >= 0) {
        errno = EINVAL;
        return -1;
    }
    if (jipc_ch_attach_writer(ch) < 0) {
        return -1;
    }
    if (len < 1 || len > ch->max_message) {
        errno = EMSGSIZE;
        return -1;
    }
    return 0;
}

/* Writes one message if there is room: 1 sent, 0 full, -1 error. */
static inline int jipc_channel_offer(jipc_channel *ch, const void *buf, size_t len) {
    if (jipc_ch_check_write(ch, len) < 0) {
        return -1;
    }
    int64_t pos = jipc_ch_claim_space(ch, (uint32_t) len);
    if (pos < 0) {
        return 0;
    }
    jipc_ch_publish_whole(ch, (uint64_t) pos, buf, len);
    return 1;
}

/* Sleeps on a signal word after setting its waiters bit, unless READY says otherwise.
   Returns 0 woken or not slept, 1 timed out (at DEADLINE), -1 error. */
static inline int jipc_ch_sleep(jipc_channel *ch, uint64_t off, int64_t deadline,
                                int (*ready)(jipc_channel *, uint64_t), uint64_t arg) {
    _Atomic uint32_t *w = JIPC_CH_U32(ch, off);
    uint32_t s = atomic_load_explicit(w, memory_order_seq_cst);
    if (!(s & JIPC_CH_WAITERS)) {
        /* seq_cst CAS (a full fence): pairs with the waker's full fence between its change and its
           read of this word */
        if (!atomic_compare_exchange_strong_explicit(w, &s, s | JIPC_CH_WAITERS, memory_order_seq_cst,
                                                     memory_order_seq_cst)) {
            return 0;
        }
        s |= JIPC_CH_WAITERS;
    }
    if (ready(ch, arg)) {
        return 0;
    }
    if (deadline >= 0 && (int64_t) jipc_ch_now() >= deadline) {
        return 1;
    }
    long r = jipc_ch_futex_wait(w, s, deadline);
    if (r < 0 && errno == ETIMEDOUT) {
        return 1;
    }
    return 0; /* woken, EAGAIN (the word moved) or EINTR: look again */
}

static inline int jipc_ch_room(jipc_channel *ch, uint64_t size) {
    uint64_t t = ch->kind == JIPC_CH_SPSC ? ch->tail
                                          : atomic_load_explicit(JIPC_CH_U64(ch, JIPC_CH_TAIL_OFFSET), memory_order_seq_cst);
    uint64_t index = t & ch->mask;
    uint64_t pad = index + size > ch->capacity ? ch->capacity - index : 0;
    /* seq_cst load of head after the waiters bit is set: pairs with the reader's seq_cst store of
       head before it reads the space signal */
    return t + pad + size - atomic_load_explicit(JIPC_CH_U64(ch, JIPC_CH_HEAD_OFFSET), memory_order_seq_cst)
           <= ch->capacity;
}

static inline int64_t jipc_ch_claim_waiting(jipc_channel *ch, uint32_t len, int64_t deadline) {
    long round = 0;
    int burst = 1;
    for (;;) {
        int64_t pos = jipc_ch_claim_space(ch, len);
        if (pos >= 0) {
            return pos;
        }
        if (ch->spins < 0 || round < ch->spins) {
            /* a full ring: look at head again only after a burst of pauses (1 doubling to 64), so
               that the reader's stores of head do not each wait for this writer's reads */
            for (int i = 1; i < burst; i++) {
                jipc_ch_pause();
            }
            round += burst - 1;
            burst = burst < 64 ? burst * 2 : 64;
            jipc_ch_pause();
        } else if (round - ch->spins < ch->yields) {
            sched_yield();
        } else {
            if (jipc_ch_sleep(ch, JIPC_CH_SPACE_SIGNAL_OFFSET, deadline, jipc_ch_room, jipc_ch_record_size(len)) == 1) {
                return -1;
            }
            round = 0;
            continue;
        }
        round++;
        if ((round & 0xff) == 0 && deadline >= 0 && (int64_t) jipc_ch_now() >= deadline) {
            return -1;
        }
    }
}

static inline int64_t jipc_ch_deadline(long timeout_ns) {
    return timeout_ns < 0 ? -1 : (int64_t) (jipc_ch_now() + (uint64_t) timeout_ns);
}

/* Writes one message, waiting up to TIMEOUT_NS for room (negative: forever; 0: not at all).
   1 sent, 0 timed out, -1 error. */
static inline int jipc_channel_send(jipc_channel *ch, const void *buf, size_t len, long timeout_ns) {
    if (jipc_ch_check_write(ch, len) < 0) {
        return -1;
    }
    int64_t pos = jipc_ch_claim_waiting(ch, (uint32_t) len, jipc_ch_deadline(timeout_ns));
    if (pos < 0) {
        return 0;
    }
    jipc_ch_publish_whole(ch, (uint64_t) pos, buf, len);
    return 1;
}

/* Reserves LEN bytes, waiting up to TIMEOUT_NS (0: not at all); returns where to write them, or
   NULL (errno EAGAIN: no room in time). Then jipc_channel_commit or jipc_channel_abort. */
static inline void *jipc_channel_claim(jipc_channel *ch, size_t len, long timeout_ns) {
    if (jipc_ch_check_write(ch, len) < 0) {
        return NULL;
    }
    int64_t pos = timeout_ns == 0 ? jipc_ch_claim_space(ch, (uint32_t) len)
                                  : jipc_ch_claim_waiting(ch, (uint32_t) len, jipc_ch_deadline(timeout_ns));
    if (pos < 0) {
        errno = EAGAIN;
        return NULL;
    }
    jipc_ch_header(ch, (uint64_t) pos, -(int32_t) len);
    ch->claimed = pos;
    ch->claimed_len = (uint32_t) len;
    return ch->data + ((uint64_t) pos & ch->mask) + JIPC_CH_RECORD_HEADER;
}

/* Publishes the claimed message. 0, or -1 (EINVAL: no claim). */
static inline int jipc_channel_commit(jipc_channel *ch) {
    if (ch->claimed < 0) {
        errno = EINVAL;
        return -1;
    }
    uint64_t pos = (uint64_t) ch->claimed;
    ch->claimed = -1;
    jipc_ch_publish(ch, pos, ch->claimed_len);
    return 0;
}

/* Drops the claimed message (it becomes padding). 0, or -1 (EINVAL: no claim). */
static inline int jipc_channel_abort(jipc_channel *ch) {
    if (ch->claimed < 0) {
        errno = EINVAL;
        return -1;
    }
    uint8_t *at = ch->data + ((uint64_t) ch->claimed & ch->mask);
    ch->claimed = -1;
    atomic_store_explicit((_Atomic uint32_t *) (at + JIPC_CH_RECORD_INFO),
                          JIPC_CH_TYPE_PADDING | ((uint32_t) ch->slot << JIPC_CH_SLOT_SHIFT), memory_order_relaxed);
    /* release: the reader that sees the length sees the padding type */
    atomic_store_explicit((_Atomic int32_t *) (at + JIPC_CH_RECORD_LENGTH), (int32_t) ch->claimed_len,
                          memory_order_release);
    jipc_ch_wake(ch, JIPC_CH_READER_SIGNAL_OFFSET);
    return 0;
}

/* ---- reading ------------------------------------------------------------------------------- */

static inline int jipc_ch_attach_reader(jipc_channel *ch) {
    if (ch->reader) {
        return 0;
    }
    if (jipc_ch_take_owner(ch, JIPC_CH_READER_OWNER_OFFSET) != 0) {
        errno = EBUSY;
        return -1;
    }
    ch->reader = 1;
    ch->head = atomic_load_explicit(JIPC_CH_U64(ch, JIPC_CH_HEAD_OFFSET), memory_order_acquire);
    ch->published = ch->head;
    return 0;
}

static inline void jipc_ch_advance(jipc_channel *ch, uint64_t pos) {
    ch->head = pos;
    ch->published = pos;
    /* seq_cst store (a full fence): frees the space (release: pairs with the writers' acquire load
       of head) and orders it before the read of the space signal (Dekker: pairs with a waiting
       writer's CAS of the waiters bit) */
    atomic_store_explicit(JIPC_CH_U64(ch, JIPC_CH_HEAD_OFFSET), pos, memory_order_seq_cst);
    if (atomic_load_explicit(JIPC_CH_U32(ch, JIPC_CH_SPACE_SIGNAL_OFFSET), memory_order_seq_cst) & JIPC_CH_WAITERS) {
        jipc_ch_wake(ch, JIPC_CH_SPACE_SIGNAL_OFFSET);
    }
}

/* The committed record at POS: its length (>= 0) and type; -1 if none; -2 corrupt. */
static inline long jipc_ch_record(jipc_channel *ch, uint64_t pos, uint32_t *type) {
    uint8_t *at = ch->data + (pos & ch->mask);
    /* acquire: pairs with the writer's release store of the tag */
    if (atomic_load_explicit((_Atomic uint64_t *) (at + JIPC_CH_RECORD_TAG), memory_order_acquire) != (pos ^ ch->salt)) {
        return -1;
    }
    /* acquire: pairs with the writer's release store of the length (the commit) */
    int32_t len = atomic_load_explicit((_Atomic int32_t *) (at + JIPC_CH_RECORD_LENGTH), memory_order_acquire);
    if (len < 0) {
        return -1;
    }
    uint32_t info = atomic_load_explicit((_Atomic uint32_t *) (at + JIPC_CH_RECORD_INFO), memory_order_relaxed);
    *type = info & JIPC_CH_TYPE_MASK;
    if ((*type == JIPC_CH_TYPE_DATA && (len < 1 || (uint32_t) len > ch->max_message))
        || (*type != JIPC_CH_TYPE_DATA && *type != JIPC_CH_TYPE_PADDING)
        || (pos & ch->mask) + jipc_ch_record_size((uint64_t) len) > ch->capacity) {
        return -2;
    }
    return len;
}

/* If the record at head is claimed by a dead writer, skips it. 1 skipped, 0 not, -1 corrupt. */
static inline int jipc_ch_skip_abandoned(jipc_channel *ch) {
    uint64_t pos = ch->head;
    uint8_t *at = ch->data + (pos & ch->mask);
    uint64_t tail = atomic_load_explicit(JIPC_CH_U64(ch, JIPC_CH_TAIL_OFFSET), memory_order_acquire);
    if (tail == pos) {
        return 0;
    }
    if (tail < pos || tail - pos > ch->capacity) {
        errno = EBADMSG;
        return -1;
    }
    uint64_t end = 0;
    if (atomic_load_explicit((_Atomic uint64_t *) (at + JIPC_CH_RECORD_TAG), memory_order_acquire) == (pos ^ ch->salt)) {
        int32_t len = atomic_load_explicit((_Atomic int32_t *) (at + JIPC_CH_RECORD_LENGTH), memory_order_acquire);
        if (len >= 0) {
            return 0;
        }
        uint32_t slot = atomic_load_explicit((_Atomic uint32_t *) (at + JIPC_CH_RECORD_INFO), memory_order_relaxed)
                        >> JIPC_CH_SLOT_SHIFT;
        if (slot >= ch->max_writers || (uint64_t) -(int64_t) len > ch->max_message) {
            errno = EBADMSG;
            return -1;
        }
        uint64_t owner = atomic_load_explicit(JIPC_CH_U64(ch, jipc_ch_writer_entry((int) slot)), memory_order_acquire);
        if (jipc_ch_alive(owner)
            || atomic_load_explicit((_Atomic int32_t *) (at + JIPC_CH_RECORD_LENGTH), memory_order_acquire) >= 0) {
            return 0;
        }
        end = pos + jipc_ch_record_size((uint64_t) -(int64_t) len);
        if (end > tail || (pos & ch->mask) + (end - pos) > ch->capacity) {
            errno = EBADMSG;
            return -1;
        }
    } else {
        int ambiguous = 0;
        for (uint32_t i = 0; i < ch->max_writers; i++) {
            uint64_t e = jipc_ch_writer_entry((int) i);
            uint64_t owner = atomic_load_explicit(JIPC_CH_U64(ch, e + JIPC_CH_WRITER_OWNER), memory_order_acquire);
            /* acquire: pairs with the writer's release stores of its intent */
            uint64_t p = atomic_load_explicit(JIPC_CH_U64(ch, e + JIPC_CH_WRITER_CLAIM_POSITION), memory_order_acquire);
            uint64_t s = atomic_load_explicit(JIPC_CH_U64(ch, e + JIPC_CH_WRITER_CLAIM_SIZE), memory_order_acquire);
            if (p <= pos && pos < p + s) {
                if (jipc_ch_alive(owner)) {
                    return 0;
                }
                if (end == 0) {
                    end = p + s;
                } else if (end != p + s) {
                    ambiguous = 1;
                }
            }
        }
        if (end == 0
            || atomic_load_explicit((_Atomic uint64_t *) (at + JIPC_CH_RECORD_TAG), memory_order_acquire)
                   == (pos ^ ch->salt)) {
            return 0;
        }
        if (ambiguous || end > tail || end - pos > ch->capacity) {
            errno = EBADMSG;
            return -1;
        }
    }
    atomic_fetch_add_explicit(JIPC_CH_U64(ch, JIPC_CH_ABANDONED_OFFSET), 1, memory_order_relaxed);
    jipc_ch_advance(ch, end);
    return 1;
}

/* Nothing was read: every 64th time, skip a claim stuck at head for 1 ms whose writer is dead.
   0, or -1 (corrupt). */
static inline int jipc_ch_on_empty(jipc_channel *ch) {
    if ((++ch->empty_rounds & 63) != 0) {
        return 0;
    }
    uint64_t now = jipc_ch_now();
    if (ch->stuck_at != ch->head) {
        ch->stuck_at = ch->head;
        ch->stuck_since = now;
    } else if (now - ch->stuck_since >= 1000000ULL) {
        ch->stuck_since = now;
        if (jipc_ch_skip_abandoned(ch) < 0) {
            return -1;
        }
    }
    return 0;
}

/* Hands up to LIMIT waiting messages to HANDLER in place; returns how many, or -1 (errno). */
static inline int jipc_channel_poll(jipc_channel *ch, jipc_channel_handler handler, void *arg, int limit) {
    if (jipc_ch_attach_reader(ch) < 0) {
        return -1;
    }
    uint64_t pos = ch->head;
    int n = 0;
    int corrupt = 0;
    while (n < limit) {
        uint32_t type;
        long len = jipc_ch_record(ch, pos, &type);
        if (len == -1) {
            break;
        }
        if (len == -2) {
            corrupt = 1;
            break;
        }
        uint8_t *msg = ch->data + (pos & ch->mask) + JIPC_CH_RECORD_HEADER;
        pos += jipc_ch_record_size((uint64_t) len);
        if (type == JIPC_CH_TYPE_DATA) {
            n++;
            handler(msg, (size_t) len, arg);
        }
    }
    if (pos != ch->head) {
        jipc_ch_advance(ch, pos);
    }
    if (corrupt && n == 0) {
        errno = EBADMSG;
        return -1;
    }
    if (n == 0 && jipc_ch_on_empty(ch) < 0) {
        return -1;
    }
    return n;
}

/* Whether a committed record (or padding) is at POS. */
static inline int jipc_ch_committed_at(jipc_channel *ch, uint64_t pos) {
    uint8_t *at = ch->data + (pos & ch->mask);
    /* acquire: pairs with the writer's release store of the tag, then of the length */
    return atomic_load_explicit((_Atomic uint64_t *) (at + JIPC_CH_RECORD_TAG), memory_order_acquire) == (pos ^ ch->salt)
           && atomic_load_explicit((_Atomic int32_t *) (at + JIPC_CH_RECORD_LENGTH), memory_order_acquire) >= 0;
}

/* A message was taken: head moves to POS, published to writers only when no record is claimed
   after it (the reader may wait next) or after an eighth of the capacity, so that a reader taking
   one message at a time from a busy channel stores head (with its full fence) rarely. */
static inline void jipc_ch_consumed(jipc_channel *ch, uint64_t pos) {
    ch->head = pos;
    /* acquire: pairs with the writer's release store of the tag (a record is claimed at POS) */
    if (pos - ch->published >= ch->capacity / 8
        || atomic_load_explicit((_Atomic uint64_t *) (ch->data + (pos & ch->mask) + JIPC_CH_RECORD_TAG),
                                memory_order_acquire) != (pos ^ ch->salt)) {
        jipc_ch_advance(ch, pos);
    }
}

/* Copies out the message at head; length, -1 none, -2 error (errno). */
static inline long jipc_ch_receive_once(jipc_channel *ch, void *buf, size_t cap) {
    uint64_t pos = ch->head;
    long result = -1;
    for (;;) {
        uint32_t type;
        long len = jipc_ch_record(ch, pos, &type);
        if (len == -1) {
            break;
        }
        if (len == -2) {
            errno = EBADMSG;
            result = -2;
            break;
        }
        if (type != JIPC_CH_TYPE_DATA) {
            pos += jipc_ch_record_size((uint64_t) len);
            continue;
        }
        if ((size_t) len > cap) {
            errno = EMSGSIZE;
            result = -2;
            break;
        }
        memcpy(buf, ch->data + (pos & ch->mask) + JIPC_CH_RECORD_HEADER, (size_t) len);
        pos += jipc_ch_record_size((uint64_t) len);
        result = len;
        break;
    }
    if (pos != ch->head) {
        jipc_ch_consumed(ch, pos);
    }
    return result;
}

static inline int jipc_ch_available(jipc_channel *ch, uint64_t unused) {
    (void) unused;
    return jipc_ch_committed_at(ch, ch->head);
}

static inline int jipc_ch_available_or_claimed(jipc_channel *ch, uint64_t pos) {
    /* seq_cst load of tail after the waiters bit is set: pairs with the writer's seq_cst store/CAS
       of tail before it reads the reader signal (one of the two sees the other) */
    return jipc_ch_available(ch, 0)
           || atomic_load_explicit(JIPC_CH_U64(ch, JIPC_CH_TAIL_OFFSET), memory_order_seq_cst) != pos;
}

/* Sleeps until a writer wakes the reader, or (a claim in progress at head) a back-off timeout
   after which the claim's writer is checked again. 0 look again, 1 deadline passed, -1 error. */
static inline int jipc_ch_park(jipc_channel *ch, int64_t deadline) {
    uint64_t pos = ch->head;
    int claimed = atomic_load_explicit(JIPC_CH_U64(ch, JIPC_CH_TAIL_OFFSET), memory_order_seq_cst) != pos;
    int64_t until = deadline;
    if (claimed) {
        int r = jipc_ch_skip_abandoned(ch);
        if (r != 0) {
            return r < 0 ? -1 : 0;
        }
        int64_t wake = (int64_t) (jipc_ch_now() + ch->backoff_ns);
        ch->backoff_ns = ch->backoff_ns * 2 > 50000000ULL ? 50000000ULL : ch->backoff_ns * 2;
        until = deadline < 0 || wake < deadline ? wake : deadline;
    } else {
        ch->backoff_ns = 50000;
    }
    int r = jipc_ch_sleep(ch, JIPC_CH_READER_SIGNAL_OFFSET, until,
                          claimed ? jipc_ch_available : jipc_ch_available_or_claimed, pos);
    if (r == 1 && deadline >= 0 && (int64_t) jipc_ch_now() >= deadline) {
        return 1;
    }
    return 0;
}

/* Copies the next message into BUF (CAP bytes), waiting up to TIMEOUT_NS for one (negative:
   forever; 0: not at all). Returns its length, 0 if the time ran out, -1 on error (EMSGSIZE:
   longer than CAP, and it stays in the channel). */
static inline long jipc_channel_receive(jipc_channel *ch, void *buf, size_t cap, long timeout_ns) {
    if (jipc_ch_attach_reader(ch) < 0) {
        return -1;
    }
    int64_t deadline = jipc_ch_deadline(timeout_ns);
    long round = 0;
    for (;;) {
        long n = jipc_ch_receive_once(ch, buf, cap);
        if (n >= 0) {
            ch->backoff_ns = 50000;
            return n;
        }
        if (n == -2 || jipc_ch_on_empty(ch) < 0) {
            return -1;
        }
        if (timeout_ns == 0) {
            return 0;
        }
        if (ch->spins < 0 || round < ch->spins) {
            jipc_ch_pause();
        } else if (round - ch->spins < ch->yields) {
            sched_yield();
        } else {
            int r = jipc_ch_park(ch, deadline);
            if (r != 0) {
                return r < 0 ? -1 : 0;
            }
            round = 0;
            continue;
        }
        round++;
        if ((round & 0xff) == 0 && deadline >= 0 && (int64_t) jipc_ch_now() >= deadline) {
            return 0;
        }
    }
}

/* Gives back the roles (aborting an open claim) and unmaps. */
static inline void jipc_channel_close(jipc_channel *ch) {
    if (ch == NULL) {
        return;
    }
    if (ch->claimed >= 0) {
        jipc_channel_abort(ch);
    }
    if (ch->slot >= 0) {
        jipc_ch_release_owner(ch, jipc_ch_writer_entry(ch->slot) + JIPC_CH_WRITER_OWNER);
        if (ch->kind == JIPC_CH_SPSC) {
            jipc_ch_release_owner(ch, JIPC_CH_WRITER_LOCK_OFFSET);
        }
    }
    if (ch->reader) {
        if (ch->published != ch->head) {
            jipc_ch_advance(ch, ch->head);
        }
        jipc_ch_release_owner(ch, JIPC_CH_READER_OWNER_OFFSET);
    }
    jipc_ch_unmap(ch);
    free(ch);
}

#endif /* JIPC_CHANNEL_H */
