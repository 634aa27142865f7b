/* C child for the Spawn tests: uses the descriptors it inherited, one action per argument.
 *   write:N:TEXT    write(N, TEXT)                       (pipe end, file, stream socket)
 *   send:N:TEXT     send(N, TEXT) on a connected socket  (datagram, seqpacket, stream)
 *   accept:N:TEXT   c = accept(N); write(c, TEXT); close(c)
 *   type:N          prints "N type=T listening=L family=F" (getsockopt SO_TYPE, SO_ACCEPTCONN, SO_DOMAIN)
 * Exits 0 once every action succeeded, 3 on the first failure (with perror).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        char *action = strtok(argv[i], ":");
        char *number = strtok(NULL, ":");
        char *text = strtok(NULL, "");
        if (!action || !number) { fprintf(stderr, "bad action %s\n", argv[i]); return 2; }
        int fd = atoi(number);
        size_t n = text ? strlen(text) : 0;
        if (strcmp(action, "write") == 0) {
            if (write(fd, text, n) != (ssize_t)n) { perror("write"); return 3; }
        } else if (strcmp(action, "send") == 0) {
            if (send(fd, text, n, MSG_NOSIGNAL) != (ssize_t)n) { perror("send"); return 3; }
        } else if (strcmp(action, "accept") == 0) {
            int c = accept(fd, NULL, NULL);
            if (c < 0) { perror("accept"); return 3; }
            if (write(c, text, n) != (ssize_t)n) { perror("write"); return 3; }
            close(c);
        } else if (strcmp(action, "type") == 0) {
            int type = -1, listening = -1, family = -1;
            socklen_t len = sizeof(int);
            if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0) { perror("SO_TYPE"); return 3; }
            len = sizeof(int);
            getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len);
            len = sizeof(int);
            getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &family, &len);
            printf("%d type=%d listening=%d family=%d\n", fd, type, listening, family);
            fflush(stdout);
        } else {
            fprintf(stderr, "unknown action %s\n", action);
            return 2;
        }
    }
    return 0;
}
