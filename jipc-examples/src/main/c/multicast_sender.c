/*
 * UDP multicast sender (twin of MulticastSender.java): one struct msg_st to GROUP:PORT out of lo
 * (IP_MULTICAST_IF) from 127.0.0.1, loopback on, TTL 1.
 *   multicast_sender PORT NAME MATH CHINESE [GROUP]
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

int main(int argc, char **argv) {
    if (argc != 5 && argc != 6) { fprintf(stderr, "usage: multicast_sender PORT NAME MATH CHINESE [GROUP]\n"); return 2; }
    const char *group = argc > 5 ? argv[5] : "239.0.0.89";
    size_t size = sizeof(struct msg_st) + strlen(argv[2]) + 1;
    struct msg_st *m = malloc(size);
    m->math = htonl(strtoul(argv[3], NULL, 10));
    m->chinese = htonl(strtoul(argv[4], NULL, 10));
    strcpy((char *)m->name, argv[2]);
    int sd = socket(AF_INET, SOCK_DGRAM, 0);
    if (sd < 0) { perror("socket()"); return 1; }
    struct sockaddr_in laddr = {.sin_family = AF_INET}; /* source 127.0.0.1, not the host's main address */
    inet_pton(AF_INET, "127.0.0.1", &laddr.sin_addr);
    if (bind(sd, (struct sockaddr *)&laddr, sizeof laddr) < 0) { perror("bind()"); return 1; }
    struct ip_mreqn ifr = {.imr_ifindex = if_nametoindex("lo")};
    if (setsockopt(sd, IPPROTO_IP, IP_MULTICAST_IF, &ifr, sizeof ifr) < 0) { perror("setsockopt(IP_MULTICAST_IF)"); return 1; }
    unsigned char ttl = 1, loop = 1;
    setsockopt(sd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof ttl);
    setsockopt(sd, IPPROTO_IP, IP_MULTICAST_LOOP, &loop, sizeof loop);
    struct sockaddr_in raddr = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[1]))};
    inet_pton(AF_INET, group, &raddr.sin_addr);
    ssize_t n = sendto(sd, m, size, 0, (struct sockaddr *)&raddr, sizeof raddr);
    if (n < 0) { perror("sendto()"); return 1; }
    printf("sender: sent %zd bytes to %s:%s\n", n, group, argv[1]);
    close(sd);
    free(m);
    return 0;
}
