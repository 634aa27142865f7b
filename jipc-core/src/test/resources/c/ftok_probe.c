/* Reads "PROJ PATH" lines on stdin and prints ftok(PATH, PROJ) as 0x%08x, one per line. */
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>

int main(void) {
    char line[4096];
    while (fgets(line, sizeof line, stdin)) {
        int proj;
        char path[4096];
        line[strcspn(line, "\n")] = 0;
        if (sscanf(line, "%d %4095[^\n]", &proj, path) != 2) return 2;
        key_t k = ftok(path, proj);
        if (k == (key_t) -1) { perror(path); return 1; }
        printf("0x%08x\n", (unsigned) k);
    }
    return 0;
}
