/* set_nonblock set|clear FD: sets or clears O_NONBLOCK on the open file description of FD,
 * which the parent that passed FD shares. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    if (argc != 3) return 2;
    int fd = atoi(argv[2]);
    int f = fcntl(fd, F_GETFL);
    if (f < 0) return 2;
    f = strcmp(argv[1], "set") == 0 ? f | O_NONBLOCK : f & ~O_NONBLOCK;
    return fcntl(fd, F_SETFL, f) == 0 ? 0 : 1;
}
