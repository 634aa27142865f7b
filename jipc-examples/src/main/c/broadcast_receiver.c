/*
 * UDP broadcast receiver (twin of BroadcastReceiver.java): binds the wildcard address 0.0.0.0
 * and PORT with SO_REUSEADDR (broadcasts reach sockets bound to the wildcard or to the broadcast
 * address), prints each struct msg_st.
 *   broadcast_receiver [PORT [COUNT]]
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct msg_st {
    uint32_t math;
    uint32_t chinese;
    uint8_t name[];
} __attribute__((packed));

#define MAX 512

int main(int argc, char **argv) {
    int port = argc > 1 ? atoi(argv[1]) : 1989;
    int count = argc > 2 ? atoi(argv[2]) : 0;
    int sd = socket(AF_INET, SOCK_DGRAM, 0);
    if (sd < 0) { perror("socket()"); return 1; }
    int on = 1;
    setsockopt(sd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    struct sockaddr_in laddr = {.sin_family = AF_INET, .sin_port = htons(port)};
    laddr.sin_addr.s_addr = htonl(INADDR_ANY);
    if (bind(sd, (struct sockaddr *)&laddr, sizeof laddr) < 0) { perror("bind()"); return 1; }
    socklen_t len = sizeof laddr;
    getsockname(sd, (struct sockaddr *)&laddr, &len);
    printf("receiver: listening for broadcasts on 0.0.0.0:%d\n", ntohs(laddr.sin_port));
    fflush(stdout);
    uint8_t buf[MAX + 1];
    for (int n = 0; count == 0 || n < count; n++) {
        struct sockaddr_in raddr;
        socklen_t rlen = sizeof raddr;
        ssize_t r = recvfrom(sd, buf, MAX, 0, (struct sockaddr *)&raddr, &rlen);
        if (r < (ssize_t)sizeof(struct msg_st)) { perror("recvfrom()"); return 1; }
        buf[r] = 0;
        struct msg_st *m = (struct msg_st *)buf;
        char ip[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, &raddr.sin_addr, ip, sizeof ip);
        printf("receiver: name=%s math=%u chinese=%u from %s\n", (char *)m->name, ntohl(m->math), ntohl(m->chinese), ip);
        fflush(stdout);
    }
    close(sd);
    return 0;
}
