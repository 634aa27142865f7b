/* Writes 9-byte records to its stdout, one write(2) each, at the position of the open file
 * description it inherited (SpawnFilesTest: a file shared with the parent's FileChannel).
 *   shared_writer loop     "%08d\n" records 0, 1, 2, ... until stdin is at end of file (looked
 *                          at every 16 records; after 1,000,000 records it only waits for it)
 *   shared_writer once N   one record "c%07d\n"
 * Exit 0, or 1 with a message on stderr if a write fails or is short. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void record(const char *r) {
    if (write(1, r, 9) != 9) { perror("write"); exit(1); }
}

int main(int argc, char **argv) {
    char r[16];
    if (argc == 3 && strcmp(argv[1], "once") == 0) {
        snprintf(r, sizeof r, "c%07d\n", atoi(argv[2]));
        record(r);
        return 0;
    }
    if (argc != 2 || strcmp(argv[1], "loop") != 0) { fprintf(stderr, "usage: shared_writer loop | once N\n"); return 2; }
    for (int i = 0; i < 1000000; i++) {
        snprintf(r, sizeof r, "%08d\n", i);
        record(r);
        if (i % 16 == 15) {
            struct pollfd p = {.fd = 0, .events = POLLIN};
            if (poll(&p, 1, 0) > 0) return 0; /* end of file (or a byte): stop */
        }
    }
    char b;
    while (read(0, &b, 1) > 0) { }
    return 0;
}
