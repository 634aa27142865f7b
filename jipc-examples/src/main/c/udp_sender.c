/*
 * UDP sender, the active end (twin of UdpSender.java): sends one packed, network-order
 * struct msg_st to 127.0.0.1:PORT.
 *   udp_sender PORT NAME MATH CHINESE
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

int main(int argc, char **argv) {
    if (argc != 5) { fprintf(stderr, "usage: udp_sender PORT NAME MATH CHINESE\n"); return 2; }
    size_t size = sizeof(struct msg_st) + strlen(argv[2]) + 1;
    struct msg_st *m = malloc(size);
    m->math = htonl(strtoul(argv[3], NULL, 10));
    m->chinese = htonl(strtoul(argv[4], NULL, 10));
    strcpy((char *)m->name, argv[2]);
    int sd = socket(AF_INET, SOCK_DGRAM, 0);
    if (sd < 0) { perror("socket()"); return 1; }
    struct sockaddr_in raddr = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[1]))};
    inet_pton(AF_INET, "127.0.0.1", &raddr.sin_addr);
    ssize_t n = sendto(sd, m, size, 0, (struct sockaddr *)&raddr, sizeof raddr);
    if (n < 0) { perror("sendto()"); return 1; }
    printf("sender: sent %zd bytes to 127.0.0.1:%s\n", n, argv[1]);
    close(sd);
    free(m);
    return 0;
}
