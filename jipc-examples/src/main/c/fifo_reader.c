/* C twin of `jipc example fifo-reader`: creates the FIFO (0600) unless it exists, waits for a
 * writer, prints every line until every writer has closed, removes the FIFO if it made it.
 * Build: gcc -O2 -Wall -o fifo_reader fifo_reader.c      Run: ./fifo_reader PATH */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: fifo_reader PATH\n"); return 2; }
    int made = 0;
    if (mkfifo(argv[1], 0600) == 0) {
        made = 1;
    } else if (errno != EEXIST) {
        perror("mkfifo");
        return 1;
    }
    printf("reader: waiting for a writer on %s\n", argv[1]);
    fflush(stdout);
    int fd = open(argv[1], O_RDONLY | O_CLOEXEC);    /* blocks until a writer opens */
    if (fd < 0) { perror("open"); return 1; }
    FILE *in = fdopen(fd, "r");
    char line[4096];
    while (fgets(line, sizeof line, in) != NULL) {
        printf("reader: %s", line);
    }
    fclose(in);
    printf("reader: end of file\n");
    if (made) unlink(argv[1]);
    return 0;
}
