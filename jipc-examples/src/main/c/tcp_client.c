/*
 * TCP client (twin of TcpClient.java): connects to 127.0.0.1:PORT, sends one struct msg_st,
 * half-closes, reads the reply until the server closes and prints it.
 *   tcp_client PORT NAME MATH CHINESE
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
    if (argc != 5) { fprintf(stderr, "usage: tcp_client PORT NAME MATH CHINESE\n"); return 2; }
    size_t size = sizeof(struct msg_st) + strlen(argv[2]) + 1;
    struct msg_st *m = malloc(size);
    m->math = htonl(strtoul(argv[3], NULL, 10));
    m->chinese = htonl(strtoul(argv[4], NULL, 10));
    strcpy((char *)m->name, argv[2]);
    int sd = socket(AF_INET, SOCK_STREAM, 0);
    if (sd < 0) { perror("socket()"); return 1; }
    struct sockaddr_in raddr = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[1]))};
    inet_pton(AF_INET, "127.0.0.1", &raddr.sin_addr);
    if (connect(sd, (struct sockaddr *)&raddr, sizeof raddr) < 0) { perror("connect()"); return 1; }
    if (write(sd, m, size) != (ssize_t)size) { perror("write()"); return 1; }
    shutdown(sd, SHUT_WR);
    uint8_t buf[MAX + 1];
    size_t len = 0;
    ssize_t r;
    while (len < MAX && (r = read(sd, buf + len, MAX - len)) > 0) len += r;
    if (len < sizeof(struct msg_st)) { fprintf(stderr, "short reply (%zu bytes)\n", len); return 1; }
    buf[len] = 0;
    struct msg_st *reply = (struct msg_st *)buf;
    printf("client: reply name=%s math=%u chinese=%u\n", (char *)reply->name, ntohl(reply->math), ntohl(reply->chinese));
    close(sd);
    free(m);
    return 0;
}
