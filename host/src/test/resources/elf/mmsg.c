/* sendmmsg and recvmmsg, run natively and under hdbg (ProcessProgramsIT): several UDP datagrams sent in one call and
   received in one, each entry's msg_len and sender, MSG_WAITFORONE, the count cut at what is there, a first
   receive that would wait (EAGAIN) or fails (EBADF), and on a socket pair. */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "show.h"

static unsigned short port_of(int fd) {
    struct sockaddr_in a;
    socklen_t n = sizeof a;
    getsockname(fd, (struct sockaddr *) &a, &n);
    return ntohs(a.sin_port);
}

int main(void) {
    int a = socket(AF_INET, SOCK_DGRAM, 0);
    int b = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    struct sockaddr_in loopback = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bind(a, (struct sockaddr *) &loopback, sizeof loopback);
    bind(b, (struct sockaddr *) &loopback, sizeof loopback);
    struct sockaddr_in to = loopback;
    to.sin_port = htons(port_of(b));

    const char *words[] = {"one", "three", "fifteen"};
    struct iovec out[3];
    struct mmsghdr sends[3];
    memset(sends, 0, sizeof sends);
    for (int i = 0; i < 3; i++) {
        out[i].iov_base = (void *) words[i];
        out[i].iov_len = strlen(words[i]);
        sends[i].msg_hdr.msg_iov = &out[i];
        sends[i].msg_hdr.msg_iovlen = 1;
        sends[i].msg_hdr.msg_name = &to;
        sends[i].msg_hdr.msg_namelen = sizeof to;
    }
    show("sendmmsg of 3", sendmmsg(a, sends, 3, 0));
    printf("  msg_len: %u %u %u\n", sends[0].msg_len, sends[1].msg_len, sends[2].msg_len);

    char buffers[4][16];
    struct iovec in[4];
    struct sockaddr_in from[4];
    struct mmsghdr receives[4];
    memset(receives, 0, sizeof receives);
    for (int i = 0; i < 4; i++) {
        in[i].iov_base = buffers[i];
        in[i].iov_len = i == 2 ? 4 : sizeof buffers[i];
        receives[i].msg_hdr.msg_iov = &in[i];
        receives[i].msg_hdr.msg_iovlen = 1;
        receives[i].msg_hdr.msg_name = &from[i];
        receives[i].msg_hdr.msg_namelen = sizeof from[i];
    }
    show("recvmmsg of 4, 3 waiting, MSG_WAITFORONE", recvmmsg(b, receives, 4, MSG_WAITFORONE, NULL));
    for (int i = 0; i < 3; i++) {
        printf("  %d: msg_len %u '%.*s', MSG_TRUNC %d, from a's port %d\n", i, receives[i].msg_len,
               (int) receives[i].msg_len, buffers[i], !!(receives[i].msg_hdr.msg_flags & MSG_TRUNC),
               ntohs(from[i].sin_port) == port_of(a));
    }
    show("recvmmsg, nothing waiting", recvmmsg(b, receives, 4, 0, NULL));
    show("recvmmsg of a closed descriptor", recvmmsg(99, receives, 4, 0, NULL));
    show("sendmmsg of 0", sendmmsg(a, sends, 0, 0));
    show("sendmmsg of 2", sendmmsg(a, sends, 2, 0));
    show("recvmmsg of 1", recvmmsg(b, receives, 1, 0, NULL));
    show("recvmmsg of 4, 1 waiting, MSG_DONTWAIT", recvmmsg(b, receives, 4, MSG_DONTWAIT, NULL));

    int pair[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, pair);
    for (int i = 0; i < 3; i++) {
        sends[i].msg_hdr.msg_name = NULL;
        sends[i].msg_hdr.msg_namelen = 0;
    }
    show("sendmmsg on a socket pair", sendmmsg(pair[0], sends, 3, 0));
    show("recvmmsg on it, MSG_WAITFORONE", recvmmsg(pair[1], receives, 4, MSG_WAITFORONE, NULL));
    printf("  '%.*s' '%.*s' '%.*s'\n", (int) receives[0].msg_len, buffers[0], (int) receives[1].msg_len, buffers[1],
           (int) receives[2].msg_len, buffers[2]);
    return 0;
}
