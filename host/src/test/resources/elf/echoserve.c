/* A TCP server for PortForwardIT: listens on 127.0.0.1:PORT (argv[1]), says so, then serves COUNT (argv[2])
   connections one after the other: each line it reads comes back in capitals, until the client shuts its side;
   then it closes the connection. It exits 0 after the last, 1 when it cannot listen. */
#define _GNU_SOURCE
#include <ctype.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc != 3) {
        return 2;
    }
    int server = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(server, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[1])),
                                  .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (bind(server, (struct sockaddr *) &address, sizeof address) != 0 || listen(server, 4) != 0) {
        perror("listen");
        return 1;
    }
    printf("listening\n");
    fflush(stdout);
    for (int served = 0; served < atoi(argv[2]); served++) {
        struct sockaddr_in peer;
        socklen_t length = sizeof peer;
        int client = accept(server, (struct sockaddr *) &peer, &length);
        if (client < 0) {
            perror("accept");
            return 1;
        }
        printf("client %d from %s\n", served + 1, peer.sin_addr.s_addr == htonl(INADDR_LOOPBACK) ? "127.0.0.1" : "?");
        fflush(stdout);
        char buffer[4096];
        ssize_t n;
        while ((n = read(client, buffer, sizeof buffer)) > 0) {
            for (ssize_t i = 0; i < n; i++) {
                buffer[i] = (char) toupper((unsigned char) buffer[i]);
            }
            for (ssize_t sent = 0; sent < n;) {
                ssize_t w = write(client, buffer + sent, n - sent);
                if (w <= 0) {
                    return 1;
                }
                sent += w;
            }
        }
        close(client);
    }
    return 0;
}
