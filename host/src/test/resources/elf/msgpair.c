/* Unix message sockets, socketpair's SOCK_DGRAM and SOCK_SEQPACKET and a seqpacket server's connections, run
   natively and under hdbg (ProcessProgramsIT): each write is one message, a read takes one message and drops what
   does not fit, and the two types part where Linux parts them (end of file, a closed peer, FIONREAD). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include "show.h"

static void show_read(const char *what, int fd, size_t room) {
    char buffer[64] = {0};
    long n = read(fd, buffer, room < sizeof buffer ? room : sizeof buffer);
    if (n < 0) {
        printf("%s: -1 (%s)\n", what, errno_name(errno));
    } else {
        printf("%s: %ld '%.*s'\n", what, n, (int) n, buffer);
    }
}

static int revents(int fd) {
    struct pollfd p = {fd, POLLIN | POLLOUT, 0};
    return poll(&p, 1, 0) < 0 ? -1 : p.revents;
}

static void pair_of(int type, const char *label) {
    int sv[2];
    printf("== %s\n", label);
    if (socketpair(AF_UNIX, type, 0, sv) != 0) {
        printf("socketpair: %s\n", errno_name(errno));
        return;
    }
    int got = 0;
    socklen_t len = sizeof got;
    getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &got, &len);
    printf("SO_TYPE: %d\n", got);

    /* Boundaries, an empty message, truncation. */
    show("write hello", write(sv[0], "hello", 5));
    show("write empty", write(sv[0], "", 0));
    show("write world!", write(sv[0], "world!", 6));
    int queued = -1;
    ioctl(sv[1], FIONREAD, &queued);
    printf("FIONREAD: %d\n", queued);
    show_read("read 64", sv[1], 64);
    show_read("read 64", sv[1], 64);
    show_read("read 3 of world!", sv[1], 3);
    fcntl(sv[1], F_SETFL, O_NONBLOCK);
    show_read("read when empty", sv[1], 64);

    /* recv's flags and recvmsg's MSG_TRUNC. */
    show("send 10", send(sv[0], "0123456789", 10, 0));
    char small[4];
    show("recv MSG_PEEK 4", recv(sv[1], small, 4, MSG_PEEK));
    show("recv MSG_TRUNC 4 (the whole length)", recv(sv[1], small, 4, MSG_PEEK | MSG_TRUNC));
    struct iovec iov = {small, 4};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
    show("recvmsg 4", recvmsg(sv[1], &m, 0));
    printf("msg_flags MSG_TRUNC: %d, got '%.4s'\n", (m.msg_flags & MSG_TRUNC) != 0, small);

    /* writev is one message; readv scatters one. */
    struct iovec parts[3] = {{"ab", 2}, {"cd", 2}, {"ef", 2}};
    show("writev 3 vectors", writev(sv[0], parts, 3));
    show("write xyz", write(sv[0], "xyz", 3));
    char a[4] = {0}, b[4] = {0};
    struct iovec into[2] = {{a, 4}, {b, 4}};
    show("readv 4+4", readv(sv[1], into, 2));
    printf("readv: '%.4s' '%.2s'\n", a, b);
    show_read("read after readv", sv[1], 64);

    /* Sizes. */
    static char big[300000];
    struct sockaddr_un nobody = {AF_UNIX, "\0nobody"};
    show("sendto with an address",
         sendto(sv[0], "to", 2, 0, (struct sockaddr *) &nobody, offsetof(struct sockaddr_un, sun_path) + 7));
    show_read("read it", sv[1], 64);
    show("write 200000", write(sv[0], big, 200000));
    show("read 200000", read(sv[1], big, sizeof big));
    show("write 300000", write(sv[0], big, 300000));

    /* Filling without waiting. */
    fcntl(sv[0], F_SETFL, O_NONBLOCK);
    int sent = 0;
    while (write(sv[0], big, 100) == 100 && sent < 1000000) {
        sent++;
    }
    printf("filled: %s, after some messages: %d\n", errno_name(errno), sent > 10 && sent < 1000000);
    printf("poll of the reader: %#x\n", revents(sv[1]));
    show("read one", read(sv[1], big, 100));
    show("then a write", write(sv[0], big, 100));
    int drained = 0;
    while (read(sv[1], big, sizeof big) >= 0) {
        drained++;
    }
    printf("drained: %d more than filled\n", drained - sent);
    printf("poll of the empty reader: %#x\n", revents(sv[1]));

    /* A blocked reader woken by a message from another process. */
    fcntl(sv[1], F_SETFL, 0);
    pid_t child = fork();
    if (child == 0) {
        close(sv[0]);
        show_read("child's blocking read", sv[1], 64);
        _exit(0);
    }
    usleep(50000);
    long woke = write(sv[0], "wake", 4);
    waitpid(child, NULL, 0);
    show("parent wrote", woke);
    close(sv[0]);
    close(sv[1]);

    /* Shut for writing: the peer's reads, the writer's writes. */
    socketpair(AF_UNIX, type, 0, sv);
    fcntl(sv[1], F_SETFL, O_NONBLOCK);
    fcntl(sv[0], F_SETFL, O_NONBLOCK);
    show("write before", write(sv[0], "before", 6));
    show("shutdown SHUT_WR", shutdown(sv[0], SHUT_WR));
    printf("poll of the peer: %#x\n", revents(sv[1]));
    show_read("peer reads", sv[1], 64);
    show_read("peer reads again", sv[1], 64);
    printf("poll of the peer: %#x\n", revents(sv[1]));
    show("write after SHUT_WR", send(sv[0], "x", 1, MSG_NOSIGNAL));
    show("peer writes back", write(sv[1], "back", 4));
    show_read("read it", sv[0], 64);
    close(sv[0]);
    close(sv[1]);

    /* Shut for reading. */
    socketpair(AF_UNIX, type, 0, sv);
    fcntl(sv[1], F_SETFL, O_NONBLOCK);
    show("write queued", write(sv[0], "queued", 6));
    show("shutdown SHUT_RD", shutdown(sv[1], SHUT_RD));
    printf("poll of the shut reader: %#x\n", revents(sv[1]));
    show_read("read after SHUT_RD", sv[1], 64);
    show_read("read the empty shut reader", sv[1], 64);
    printf("poll of the empty shut reader: %#x\n", revents(sv[1]));
    show("write to the shut reader", send(sv[0], "x", 1, MSG_NOSIGNAL | MSG_DONTWAIT));
    show("the shut reader writes", write(sv[1], "fine", 4));
    show_read("read it", sv[0], 64);
    close(sv[0]);
    close(sv[1]);

    /* The peer closed, with a message left for the survivor. */
    socketpair(AF_UNIX, type, 0, sv);
    fcntl(sv[0], F_SETFL, O_NONBLOCK);
    show("peer writes last", write(sv[1], "last", 4));
    close(sv[1]);
    printf("poll after the peer closed: %#x\n", revents(sv[0]));
    show_read("read after the peer closed", sv[0], 64);
    show_read("read again", sv[0], 64);
    printf("poll of the survivor: %#x\n", revents(sv[0]));
    show("send after the peer closed", send(sv[0], "x", 1, MSG_NOSIGNAL));
    show("send again", send(sv[0], "x", 1, MSG_NOSIGNAL));
    close(sv[0]);

    /* A file passed with a message stays with it, also when the message is cut short. */
    socketpair(AF_UNIX, type, 0, sv);
    int p[2];
    pipe(p);
    char cbuf[CMSG_SPACE(sizeof(int))] = {0};
    struct iovec out = {"with a file", 11};
    struct msghdr sm = {.msg_iov = &out, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf};
    struct cmsghdr *c = CMSG_FIRSTHDR(&sm);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &p[1], sizeof(int));
    show("sendmsg with a file", sendmsg(sv[0], &sm, 0));
    show("write plain", write(sv[0], "plain", 5));
    close(p[1]);
    char rbuf[4];
    char rc[CMSG_SPACE(sizeof(int))];
    struct iovec in = {rbuf, 4};
    struct msghdr rm = {.msg_iov = &in, .msg_iovlen = 1, .msg_control = rc, .msg_controllen = sizeof rc};
    show("recvmsg 4", recvmsg(sv[1], &rm, 0));
    int passed = -1;
    struct cmsghdr *rcm = CMSG_FIRSTHDR(&rm);
    if (rcm != NULL && rcm->cmsg_type == SCM_RIGHTS) {
        memcpy(&passed, CMSG_DATA(rcm), sizeof(int));
    }
    printf("got a file: %d, truncated: %d, '%.4s'\n", passed >= 0, (rm.msg_flags & MSG_TRUNC) != 0, rbuf);
    if (passed >= 0) {
        show("write through the passed pipe", write(passed, "via", 3));
        close(passed);
        show_read("the pipe reads", p[0], 64);
    }
    show_read("next message", sv[1], 64);
    close(sv[0]);
    close(sv[1]);
    close(p[0]);
}

/* A seqpacket server: connect and accept make a connection that keeps the messages' boundaries. */
static void seqpacket_server(void) {
    printf("== a seqpacket server\n");
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    int n = snprintf(address.sun_path + 1, sizeof address.sun_path - 1, "hdbg-msgpair-%d", (int) getpid());
    socklen_t length = offsetof(struct sockaddr_un, sun_path) + 1 + n;
    int server = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    show("bind to an abstract name", bind(server, (struct sockaddr *) &address, length));
    show("listen", listen(server, 4));
    int stream = socket(AF_UNIX, SOCK_STREAM, 0);
    show("a stream socket connects to it", connect(stream, (struct sockaddr *) &address, length));
    close(stream);
    pid_t child = fork();
    if (child == 0) {
        int client = socket(AF_UNIX, SOCK_SEQPACKET, 0);
        if (connect(client, (struct sockaddr *) &address, length) != 0) {
            perror("connect");
            _exit(1);
        }
        write(client, "one", 3);
        write(client, "", 0);
        write(client, "two!", 4);
        char reply[16];
        long got = read(client, reply, sizeof reply);
        printf("the client got: %ld '%.*s'\n", got, (int) got, reply);
        close(client);
        _exit(0);
    }
    int connection = accept(server, NULL, NULL);
    int type = 0;
    socklen_t size = sizeof type;
    getsockopt(connection, SOL_SOCKET, SO_TYPE, &type, &size);
    printf("accepted, SO_TYPE %d\n", type);
    show_read("read 2 of one", connection, 2);
    show_read("read the empty one", connection, 2);
    show_read("read 2 of two!", connection, 2);
    long replied = write(connection, "ok", 2);
    waitpid(child, NULL, 0);
    show("the reply", replied);
    show_read("read after the client closed", connection, 2);
    close(connection);
    close(server);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    pair_of(SOCK_DGRAM, "SOCK_DGRAM");
    pair_of(SOCK_SEQPACKET, "SOCK_SEQPACKET");
    pair_of(SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, "SOCK_DGRAM with flags");
    seqpacket_server();
    return 0;
}
