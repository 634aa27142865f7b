/*
 * UDP multicast receiver (twin of MulticastReceiver.java): binds GROUP:PORT (239.0.0.89 by
 * default) with SO_REUSEADDR, joins GROUP on lo (IP_ADD_MEMBERSHIP with struct ip_mreqn), prints
 * each struct msg_st.
 *   multicast_receiver [PORT [COUNT [GROUP]]]
 */
#include <arpa/inet.h>
#include <net/if.h>
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
    const char *group = argc > 3 ? argv[3] : "239.0.0.89";
    int sd = socket(AF_INET, SOCK_DGRAM, 0);
    if (sd < 0) { perror("socket()"); return 1; }
    int on = 1;
    setsockopt(sd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    struct sockaddr_in laddr = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, group, &laddr.sin_addr);
    if (bind(sd, (struct sockaddr *)&laddr, sizeof laddr) < 0) { perror("bind()"); return 1; }
    struct ip_mreqn mreq = {.imr_ifindex = if_nametoindex("lo")};
    inet_pton(AF_INET, group, &mreq.imr_multiaddr);
    if (setsockopt(sd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq, sizeof mreq) < 0) { perror("setsockopt(IP_ADD_MEMBERSHIP)"); return 1; }
    socklen_t len = sizeof laddr;
    getsockname(sd, (struct sockaddr *)&laddr, &len);
    printf("receiver: joined %s on lo, listening on %s:%d\n", group, group, ntohs(laddr.sin_port));
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
