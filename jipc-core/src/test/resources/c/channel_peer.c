/* C peer for the channel tests. The test prepends c/include/jipc_channel.h (as shipped) to this
 * file, after defining JIPC_CHANNEL_HOOK to call peer_hook(), and compiles it with gcc.
 *
 *   channel_peer write TARGET WRITER COUNT MAXLEN [spin]   send COUNT test messages, print "sent N"
 *   channel_peer read  TARGET COUNT MAXLEN [spin]          receive COUNT, verify, print per-writer counts
 *   channel_peer crash TARGET WRITER BEFORE POINT MAXLEN [wrap|claim]
 *       send BEFORE messages, then stop (SIGSTOP) at step POINT of writing the next one (with
 *       "wrap": after fillers that make that message need a padding record; with "claim": the
 *       message is written in place through jipc_channel_claim/commit, step 6 being the copy)
 *   channel_peer forever TARGET WRITER MAXLEN              send until killed
 *   channel_peer create NAME CAPACITY spsc|mpsc            make /dev/shm/NAME with jipc_channel_create
 *   channel_peer offsets                                   print every offset and constant of the format
 *   channel_peer drain TARGET                              open and poll what is there: exit 0, 3 if
 *                                                          not a channel, 4 if corrupt (EBADMSG)
 *
 * TARGET: name:NAME (/dev/shm/NAME), fd:N (an inherited descriptor) or shm:ID (System V).
 * A test message: writer id u32, sequence u64, payload bytes (seq * 31 + i * 7 + writer) & 0xff,
 * then FNV-1a 64 of everything before it. */
#include <signal.h>
#include <inttypes.h>

static int peer_stop_point;

static void peer_hook(int point) {
    if (point == peer_stop_point) {
        raise(SIGSTOP);
    }
}

static void peer_ignore(const void *message, size_t length, void *arg) {
    (void) message;
    (void) length;
    (void) arg;
}

static jipc_channel *peer_open(const char *target) {
    jipc_channel *ch = NULL;
    if (strncmp(target, "name:", 5) == 0) {
        ch = jipc_channel_open(target + 5);
    } else if (strncmp(target, "fd:", 3) == 0) {
        ch = jipc_channel_open_fd(atoi(target + 3));
    } else if (strncmp(target, "shm:", 4) == 0) {
        ch = jipc_channel_open_shm(atoi(target + 4));
    } else {
        errno = EINVAL;
    }
    if (ch == NULL) {
        fprintf(stderr, "open %s: %s\n", target, strerror(errno));
        exit(2);
    }
    return ch;
}

static uint64_t fnv(const uint8_t *p, size_t n) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) {
        h = (h ^ p[i]) * 0x100000001b3ULL;
    }
    return h;
}

static size_t encode(uint8_t *b, uint32_t writer, uint64_t seq, size_t len) {
    memcpy(b, &writer, 4);
    memcpy(b + 4, &seq, 8);
    for (size_t i = 12; i < len - 8; i++) {
        b[i] = (uint8_t) (seq * 31 + i * 7 + writer);
    }
    uint64_t h = fnv(b, len - 8);
    memcpy(b + len - 8, &h, 8);
    return len;
}

static size_t length_of(uint32_t writer, uint64_t seq, size_t maxlen) {
    return 20 + (size_t) ((seq * 13 + writer * 7) % (maxlen - 19));
}

static void send_one(jipc_channel *ch, uint8_t *b, uint32_t writer, uint64_t seq, size_t len) {
    encode(b, writer, seq, len);
    if (jipc_channel_send(ch, b, len, -1) != 1) {
        fprintf(stderr, "send %" PRIu64 ": %s\n", seq, strerror(errno));
        exit(1);
    }
}

#define MAX_WRITERS 1024

int main(int argc, char **argv) {
    if (argc >= 2 && strcmp(argv[1], "offsets") == 0) {
#define P(x) printf(#x " %lld\n", (long long) (x))
        P(JIPC_CH_MAGIC); P(JIPC_CH_INITIALIZING); P(JIPC_CH_VERSION); P(JIPC_CH_SPSC); P(JIPC_CH_MPSC);
        P(JIPC_CH_MAGIC_OFFSET); P(JIPC_CH_VERSION_OFFSET); P(JIPC_CH_KIND_OFFSET); P(JIPC_CH_CAPACITY_OFFSET);
        P(JIPC_CH_DATA_OFFSET_OFFSET); P(JIPC_CH_ALIGNMENT_OFFSET); P(JIPC_CH_MAX_WRITERS_OFFSET);
        P(JIPC_CH_MAX_MESSAGE_OFFSET); P(JIPC_CH_SALT_OFFSET); P(JIPC_CH_CREATOR_PID_OFFSET); P(JIPC_CH_FLAGS_OFFSET);
        P(JIPC_CH_CREATED_OFFSET); P(JIPC_CH_HEAD_OFFSET); P(JIPC_CH_TAIL_OFFSET); P(JIPC_CH_READER_SIGNAL_OFFSET);
        P(JIPC_CH_SPACE_SIGNAL_OFFSET); P(JIPC_CH_READER_OWNER_OFFSET); P(JIPC_CH_ABANDONED_OFFSET);
        P(JIPC_CH_WRITER_LOCK_OFFSET); P(JIPC_CH_WRITER_TABLE_OFFSET); P(JIPC_CH_BLOCK); P(JIPC_CH_WRITER_OWNER);
        P(JIPC_CH_WRITER_CLAIM_POSITION); P(JIPC_CH_WRITER_CLAIM_SIZE); P(JIPC_CH_RECORD_HEADER); P(JIPC_CH_ALIGNMENT);
        P(JIPC_CH_RECORD_LENGTH); P(JIPC_CH_RECORD_INFO); P(JIPC_CH_RECORD_TAG); P(JIPC_CH_TYPE_DATA);
        P(JIPC_CH_TYPE_PADDING); P(JIPC_CH_TYPE_MASK); P(JIPC_CH_SLOT_SHIFT); P(JIPC_CH_WAITERS);
        P(JIPC_CH_MIN_CAPACITY); P(JIPC_CH_MAX_CAPACITY); P(JIPC_CH_MAX_WRITERS_LIMIT); P(JIPC_CH_DEFAULT_SPSC_WRITERS);
        P(JIPC_CH_DEFAULT_MPSC_WRITERS); P(jipc_ch_data_offset(4)); P(jipc_ch_data_offset(64));
        P(jipc_ch_max_message_of(4096)); P(jipc_channel_region_size(JIPC_CH_MPSC, 65536));
        P(SYS_futex); P(FUTEX_WAKE); P(FUTEX_WAIT_BITSET); P((uint32_t) FUTEX_BITSET_MATCH_ANY);
        return 0;
    }
    if (argc >= 5 && strcmp(argv[1], "create") == 0) {
        jipc_channel *ch = jipc_channel_create(argv[2], strtoull(argv[3], NULL, 10),
                                               strcmp(argv[4], "mpsc") == 0 ? JIPC_CH_MPSC : JIPC_CH_SPSC, 0600);
        if (ch == NULL) {
            fprintf(stderr, "create: %s\n", strerror(errno));
            return 1;
        }
        jipc_channel_close(ch);
        puts("created");
        return 0;
    }
    if (argc >= 3 && strcmp(argv[1], "drain") == 0) {
        jipc_channel *d = strncmp(argv[2], "name:", 5) == 0 ? jipc_channel_open(argv[2] + 5) : NULL;
        if (d == NULL) {
            fprintf(stderr, "open: %s\n", strerror(errno));
            return errno == EBADMSG ? 3 : 2;
        }
        long total = 0;
        for (int i = 0; i < 200; i++) {
            int n = jipc_channel_poll(d, peer_ignore, NULL, 7);
            if (n < 0) {
                fprintf(stderr, "poll: %s\n", strerror(errno));
                return errno == EBADMSG ? 4 : 2;
            }
            total += n;
            if (n == 0) {
                usleep(50);
            }
        }
        printf("drained %ld\n", total);
        jipc_channel_close(d);
        return 0;
    }
    if (argc < 3) {
        fprintf(stderr, "usage: see the comment at the top of channel_peer.c\n");
        return 2;
    }
    jipc_channel *ch = peer_open(argv[2]);
    uint8_t *b = malloc(ch->max_message);
    if (strcmp(argv[1], "write") == 0 && argc >= 6) {
        uint32_t writer = (uint32_t) atoi(argv[3]);
        uint64_t count = strtoull(argv[4], NULL, 10);
        size_t maxlen = (size_t) atoi(argv[5]);
        if (argc >= 7) {
            jipc_channel_idle(ch, -1, 0);
        }
        for (uint64_t seq = 0; seq < count; seq++) {
            send_one(ch, b, writer, seq, length_of(writer, seq, maxlen));
        }
        printf("sent %" PRIu64 "\n", count);
    } else if (strcmp(argv[1], "forever") == 0 && argc >= 5) {
        uint32_t writer = (uint32_t) atoi(argv[3]);
        size_t maxlen = (size_t) atoi(argv[4]);
        printf("writing\n");
        fflush(stdout);
        for (uint64_t seq = 0;; seq++) {
            send_one(ch, b, writer, seq, length_of(writer, seq, maxlen));
        }
    } else if (strcmp(argv[1], "crash") == 0 && argc >= 7) {
        uint32_t writer = (uint32_t) atoi(argv[3]);
        uint64_t before = strtoull(argv[4], NULL, 10);
        int point = atoi(argv[5]);
        size_t maxlen = (size_t) atoi(argv[6]);
        uint64_t seq = 0;
        for (; seq < before; seq++) {
            send_one(ch, b, writer, seq, length_of(writer, seq, maxlen));
        }
        size_t last = length_of(writer, seq, maxlen);
        if (argc >= 8 && strcmp(argv[7], "wrap") == 0) {
            last = ch->max_message;
            uint64_t need = jipc_ch_record_size(last);
            for (;;) {
                uint64_t t = atomic_load_explicit(JIPC_CH_U64(ch, JIPC_CH_TAIL_OFFSET), memory_order_acquire);
                uint64_t room = ch->capacity - (t & ch->mask);
                if (room < need) {
                    break;
                }
                send_one(ch, b, writer, seq++, room - need >= 64 ? 48 : 20);
            }
        }
        printf("stopping at %d with seq %" PRIu64 "\n", point, seq);
        fflush(stdout);
        peer_stop_point = point;
        if (argc >= 8 && strcmp(argv[7], "claim") == 0) {
            encode(b, writer, seq, last);
            void *to = jipc_channel_claim(ch, last, -1);
            if (to == NULL) {
                fprintf(stderr, "claim: %s\n", strerror(errno));
                return 1;
            }
            memcpy(to, b, last);
            peer_hook(6);
            jipc_channel_commit(ch);
        } else {
            send_one(ch, b, writer, seq, last);
        }
        peer_stop_point = 0;
        printf("went on\n");
    } else if (strcmp(argv[1], "read") == 0 && argc >= 5) {
        uint64_t count = strtoull(argv[3], NULL, 10);
        size_t maxlen = (size_t) atoi(argv[4]);
        (void) maxlen;
        if (argc >= 6) {
            jipc_channel_idle(ch, -1, 0);
        }
        static uint64_t next[MAX_WRITERS];
        for (uint64_t i = 0; i < count; i++) {
            long n = jipc_channel_receive(ch, b, ch->max_message, -1);
            if (n < 20) {
                fprintf(stderr, "receive %" PRIu64 ": %ld %s\n", i, n, strerror(errno));
                return 1;
            }
            uint32_t writer;
            uint64_t seq, h;
            memcpy(&writer, b, 4);
            memcpy(&seq, b + 4, 8);
            memcpy(&h, b + n - 8, 8);
            if (writer >= MAX_WRITERS || h != fnv(b, (size_t) n - 8)) {
                fprintf(stderr, "torn message %" PRIu64 " (writer %u, length %ld)\n", i, writer, n);
                return 1;
            }
            for (long k = 12; k < n - 8; k++) {
                if (b[k] != (uint8_t) (seq * 31 + (uint64_t) k * 7 + writer)) {
                    fprintf(stderr, "bad payload in message %" PRIu64 "\n", i);
                    return 1;
                }
            }
            if (seq != next[writer]) {
                fprintf(stderr, "writer %u: sequence %" PRIu64 " after %" PRIu64 "\n", writer, seq, next[writer]);
                return 1;
            }
            next[writer]++;
        }
        for (int w = 0; w < MAX_WRITERS; w++) {
            if (next[w]) {
                printf("writer %d %" PRIu64 "\n", w, next[w]);
            }
        }
    } else {
        fprintf(stderr, "bad arguments\n");
        return 2;
    }
    free(b);
    jipc_channel_close(ch);
    return 0;
}
