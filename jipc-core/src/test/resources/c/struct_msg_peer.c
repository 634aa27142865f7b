/*
 * The C side of the seed's two struct messages, written the way the seed's C programs do it.
 *
 *   struct_msg_peer mq OUT          writes a queue message body: what follows `long mtype` in
 *                                   struct msg { long mtype; char name[32]; int math; int chinese; }
 *   struct_msg_peer sock IN OUT     reads a packed network-order struct msg_st (flexible name),
 *                                   prints its fields, writes a reply with math+1, chinese+1 and
 *                                   name "re:<name>"
 */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct msg {
    long mtype;
    char name[32];
    int math;
    int chinese;
};

struct msg_st {
    uint32_t math;
    uint32_t chinese;
    uint8_t name[];
} __attribute__((packed));

int main(int argc, char **argv) {
    if (argc == 3 && strcmp(argv[1], "mq") == 0) {
        struct msg m;
        memset(&m, 0, sizeof m);
        m.mtype = 7;
        strcpy(m.name, "Zhang San");
        m.math = 90;
        m.chinese = -85;
        FILE *out = fopen(argv[2], "wb");
        if (!out || fwrite((char *) &m + sizeof m.mtype, sizeof m - sizeof m.mtype, 1, out) != 1 || fclose(out)) {
            perror(argv[2]);
            return 1;
        }
        printf("body %zu\n", sizeof m - sizeof m.mtype);
        return 0;
    }
    if (argc == 4 && strcmp(argv[1], "sock") == 0) {
        static unsigned char buf[4096];
        FILE *in = fopen(argv[2], "rb");
        size_t n = in ? fread(buf, 1, sizeof buf, in) : 0;
        if (!in || n < sizeof(struct msg_st)) {
            fprintf(stderr, "short message: %zu bytes\n", n);
            return 1;
        }
        fclose(in);
        struct msg_st *rx = (struct msg_st *) buf;
        size_t name_len = n - sizeof(struct msg_st);
        char name[1024];
        snprintf(name, sizeof name, "%.*s", (int) name_len, (const char *) rx->name);
        printf("math %u\nchinese %u\nname %s\nlength %zu\n", ntohl(rx->math), ntohl(rx->chinese), name, n);

        static unsigned char reply[4096];
        struct msg_st *tx = (struct msg_st *) reply;
        tx->math = htonl(ntohl(rx->math) + 1);
        tx->chinese = htonl(ntohl(rx->chinese) + 1);
        int len = snprintf((char *) tx->name, sizeof reply - sizeof *tx, "re:%s", name);
        FILE *out = fopen(argv[3], "wb");
        if (!out || fwrite(reply, sizeof *tx + len + 1, 1, out) != 1 || fclose(out)) {
            perror(argv[3]);
            return 1;
        }
        return 0;
    }
    fprintf(stderr, "usage: %s mq OUT | sock IN OUT\n", argv[0]);
    return 2;
}
