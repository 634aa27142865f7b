/* C peer for the pipe tests.
 *   pipe_peer write FD ID COUNT   write COUNT chunks of PIPE_BUF bytes, every byte = ID, to FD
 *   pipe_peer getsz FD            print fcntl(FD, F_GETPIPE_SZ)
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc == 5 && strcmp(argv[1], "write") == 0) {
        int fd = atoi(argv[2]), id = atoi(argv[3]), count = atoi(argv[4]);
        char buf[PIPE_BUF];
        memset(buf, id, sizeof buf);
        for (int i = 0; i < count; i++) {
            if (write(fd, buf, sizeof buf) != (ssize_t) sizeof buf) {
                perror("write");
                return 1;
            }
        }
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "getsz") == 0) {
        int r = fcntl(atoi(argv[2]), F_GETPIPE_SZ);
        if (r < 0) {
            perror("fcntl");
            return 1;
        }
        printf("%d\n", r);
        return 0;
    }
    fprintf(stderr, "usage: pipe_peer write FD ID COUNT | getsz FD\n");
    return 2;
}
