/* C twin of `jipc example fifo-writer`: waits for a reader on an existing FIFO, writes each
 * message as one line (one write each), closes.
 * Build: gcc -O2 -Wall -o fifo_writer fifo_writer.c      Run: ./fifo_writer PATH MESSAGE... */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: fifo_writer PATH MESSAGE...\n"); return 2; }
    int fd = open(argv[1], O_WRONLY | O_CLOEXEC);    /* blocks until a reader opens */
    if (fd < 0) { perror("open"); return 1; }
    for (int i = 2; i < argc; i++) {
        char line[4096];
        int len = snprintf(line, sizeof line, "%s\n", argv[i]);
        if (write(fd, line, len) != len) { perror("write"); return 1; }
    }
    close(fd);
    printf("writer: wrote %d line(s)\n", argc - 2);
    return 0;
}
