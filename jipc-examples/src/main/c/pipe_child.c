/* C twin of `jipc example pipe-child`: prints each line read from descriptor 3 until EOF.
 * Build: gcc -O2 -Wall -o pipe_child pipe_child.c
 * Run under either parent: ./jipc example pipe-parent ./pipe_child   or   ./pipe_parent ./pipe_child */
#include <stdio.h>
#include <unistd.h>

int main(void) {
    FILE *in = fdopen(3, "r");
    if (in == NULL) { perror("fdopen(3): no descriptor 3 was inherited"); return 1; }
    char line[4096];
    while (fgets(line, sizeof line, in) != NULL) {
        printf("child %d read: %s", (int) getpid(), line);
    }
    printf("child: end of file, every writer closed\n");
    return 0;
}
