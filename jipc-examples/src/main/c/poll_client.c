/* Client of poll-server (twin of PollClient.java): connects to the Unix-domain stream socket
 * SOCKET, sends each LINE, half-closes, prints every reply line as "client: REPLY" until the
 * server closes.
 * Build: gcc -O2 -Wall -o poll_client poll_client.c      Run: ./poll_client SOCKET LINE... */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: poll_client SOCKET LINE...\n"); return 2; }
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    strncpy(a.sun_path, argv[1], sizeof a.sun_path - 1);
    if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof a) < 0) { perror("connect"); return 1; }
    for (int i = 2; i < argc; i++) {
        char line[4096];
        int len = snprintf(line, sizeof line, "%s\n", argv[i]);
        if (send(s, line, len, MSG_NOSIGNAL) != len) { perror("send"); return 1; }
    }
    shutdown(s, SHUT_WR);
    char buf[65536];
    size_t used = 0;
    ssize_t r;
    while (used < sizeof buf - 1 && (r = read(s, buf + used, sizeof buf - 1 - used)) > 0) used += r;
    buf[used] = 0;
    for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) printf("client: %s\n", line);
    close(s);
    return 0;
}
