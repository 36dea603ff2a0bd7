/* TCP and UDP over loopback, run natively and under hdbg (ProcessProgramsIT): the kinds socket makes and refuses,
   names (ports the kernel chose are compared, never printed), bind errors, SO_REUSEADDR, listen's autobind, blocking
   and non-blocking connect (a second connect returns 0 once the first finished, then EISCONN), ECONNREFUSED, 0.0.0.0
   as the local host, data with MSG_PEEK and FIONREAD, shutdown, a peer's close (a first write succeeds and draws a
   reset, then EPIPE) or close with data unread (ECONNRESET), ::1, dual-stack and v6-only listeners, and UDP: senders'
   names, autobind, connect, truncation, an empty datagram, and a connected socket's ECONNREFUSED from the ICMP error
   of a send to nobody. A port that must have no listener is held by a socket bound there; clients close first, so
   TIME_WAIT sockets keep connect's ports, not bind's. (No getaddrinfo: statically linked, glibc warns about it.) */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "show.h"

/* What a read got: its count and its bytes. */
static void received(const char *what, long r, const char *buffer) {
    if (r < 0) {
        show(what, r);
    } else {
        printf("%s: %ld '%.*s'\n", what, r, (int) r, buffer);
    }
}

/* An AF_INET6 address if ip has a colon, else an AF_INET one; its length. */
static socklen_t address(struct sockaddr_storage *a, const char *ip, int port) {
    struct sockaddr_in6 *six = (struct sockaddr_in6 *) a;
    struct sockaddr_in *four = (struct sockaddr_in *) a;
    int v6 = strchr(ip, ':') != NULL;
    memset(a, 0, sizeof *a);
    a->ss_family = v6 ? AF_INET6 : AF_INET;
    *(v6 ? &six->sin6_port : &four->sin_port) = htons(port);
    inet_pton(a->ss_family, ip, v6 ? (void *) &six->sin6_addr : (void *) &four->sin_addr);
    return v6 ? sizeof *six : sizeof *four;
}

static long bind_to(int fd, const char *ip, int port) {
    struct sockaddr_storage a;
    socklen_t n = address(&a, ip, port);
    return bind(fd, (struct sockaddr *) &a, n);
}

static long connect_to(int fd, const char *ip, int port) {
    struct sockaddr_storage a;
    socklen_t n = address(&a, ip, port);
    return connect(fd, (struct sockaddr *) &a, n);
}

static long send_to(int fd, const char *text, const char *ip, int port) {
    struct sockaddr_storage a;
    socklen_t n = address(&a, ip, port);
    return sendto(fd, text, strlen(text), 0, (struct sockaddr *) &a, n);
}

static int port_in(const struct sockaddr_storage *a) {
    return ntohs(a->ss_family == AF_INET6 ? ((const struct sockaddr_in6 *) a)->sin6_port
                                          : ((const struct sockaddr_in *) a)->sin_port);
}

/* An address as printed: its family, its address, whether its port is 0, and its length. */
static void describe(const char *what, const struct sockaddr_storage *a, socklen_t n) {
    char text[INET6_ADDRSTRLEN] = "(none)";
    const void *where = a->ss_family == AF_INET6 ? (const void *) &((const struct sockaddr_in6 *) a)->sin6_addr
                                                 : (const void *) &((const struct sockaddr_in *) a)->sin_addr;
    inet_ntop(a->ss_family, where, text, sizeof text);
    printf("%s: family %d, address %s, port %s, length %d\n", what, a->ss_family, text,
           port_in(a) ? "nonzero" : "0", (int) n);
}

/* fd's own name (peer 0) or its peer's (peer 1): described if what is not NULL; its port, -1 if it has none. */
static int name(const char *what, int fd, int peer) {
    struct sockaddr_storage a;
    socklen_t n = sizeof a;
    memset(&a, 0, sizeof a);
    int r = peer ? getpeername(fd, (struct sockaddr *) &a, &n) : getsockname(fd, (struct sockaddr *) &a, &n);
    if (what) {
        r < 0 ? show(what, r) : describe(what, &a, n);
    }
    return r < 0 ? -1 : port_in(&a);
}

static int port(int fd, int peer) {
    return name(NULL, fd, peer);
}

/* Closes count descriptors. */
static void closing(int count, ...) {
    va_list fds;
    va_start(fds, count);
    while (count-- > 0) {
        close(va_arg(fds, int));
    }
    va_end(fds);
}

static long set(int fd, int level, int option, int value) {
    return setsockopt(fd, level, option, &value, sizeof value);
}

static long get(int fd, int level, int option) {
    int value = -1;
    socklen_t n = sizeof value;
    return getsockopt(fd, level, option, &value, &n) < 0 ? -1 : value;
}

/* FIONREAD's count, or its error. */
static void queued(const char *what, int fd) {
    int count = -1;
    long r = ioctl(fd, FIONREAD, &count);
    show(what, r < 0 ? r : count);
}

static int bound(int family, int type, const char *ip, int port) {
    int fd = socket(family, type, 0);
    bind_to(fd, ip, port);
    return fd;
}

static int listening(int family, const char *ip) {
    int fd = bound(family, SOCK_STREAM, ip, 0);
    listen(fd, 8);
    return fd;
}

/* Closes client c of listener l, then, if its connect (r) succeeded, the server's side (never a blocked accept). */
static void settle(int l, int c, long r) {
    close(c);
    if (r == 0) {
        close(accept(l, NULL, NULL));
    }
}

static void kind(const char *what, int family, int type, int protocol) {
    int fd = socket(family, type, protocol);
    if (fd < 0) {
        show(what, fd);
        return;
    }
    printf("%s: SO_TYPE %ld, SO_DOMAIN %ld, SO_PROTOCOL %ld\n", what, get(fd, SOL_SOCKET, SO_TYPE),
           get(fd, SOL_SOCKET, SO_DOMAIN), get(fd, SOL_SOCKET, SO_PROTOCOL));
    close(fd);
}

#define KIND(family, type, protocol) kind("socket(" #family ", " #type ", " #protocol ")", family, type, protocol)

static void kinds(void) {
    KIND(AF_INET, SOCK_STREAM, 0);
    KIND(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    KIND(AF_INET, SOCK_DGRAM, 0);
    KIND(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    KIND(AF_INET6, SOCK_STREAM, 0);
    KIND(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
    KIND(AF_INET6, SOCK_DGRAM, 0);
    KIND(AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
    KIND(AF_INET, SOCK_STREAM, IPPROTO_UDP);
    KIND(AF_INET, SOCK_DGRAM, IPPROTO_TCP);
    KIND(AF_INET, SOCK_SEQPACKET, 0);
}

static void binding(void) {
    int a = socket(AF_INET, SOCK_STREAM, 0);
    name("unbound socket's name", a, 0);
    name("unbound socket's peer", a, 1);
    show("bind to 127.0.0.1:0", bind_to(a, "127.0.0.1", 0));
    int p = name("its name", a, 0);
    show("bind it again", bind_to(a, "127.0.0.1", 0));
    show("bind it again to its own port", bind_to(a, "127.0.0.1", p));
    int b = socket(AF_INET, SOCK_STREAM, 0);
    show("another socket binds 127.0.0.1 at that port", bind_to(b, "127.0.0.1", p));
    show("another socket binds 0.0.0.0 at that port", bind_to(b, "0.0.0.0", p));
    closing(2, a, b);

    a = socket(AF_INET, SOCK_STREAM, 0);
    set(a, SOL_SOCKET, SO_REUSEADDR, 1);
    bind_to(a, "127.0.0.1", 0);
    p = port(a, 0);
    b = socket(AF_INET, SOCK_STREAM, 0);
    set(b, SOL_SOCKET, SO_REUSEADDR, 1);
    show("SO_REUSEADDR on both, the first not listening: bind the second", bind_to(b, "127.0.0.1", p));
    int c = socket(AF_INET, SOCK_STREAM, 0);
    show("SO_REUSEADDR on the first two, not the third: bind the third", bind_to(c, "127.0.0.1", p));
    show("listen on the first", listen(a, 8));
    show("listen on the second, bound to the same port", listen(b, 8));
    int d = socket(AF_INET, SOCK_STREAM, 0);
    set(d, SOL_SOCKET, SO_REUSEADDR, 1);
    show("SO_REUSEADDR on both, the first listening: bind another", bind_to(d, "127.0.0.1", p));
    closing(4, a, b, c, d);

    a = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_storage s;
    socklen_t n = address(&s, "127.0.0.1", 0);
    show("bind with an address length one short", bind(a, (struct sockaddr *) &s, n - 1));
    n = address(&s, "::1", 0);
    show("bind an AF_INET6 address to an AF_INET socket", bind(a, (struct sockaddr *) &s, n));
    show("bind to 0.0.0.0:0", bind_to(a, "0.0.0.0", 0));
    name("its name", a, 0);
    close(a);

    a = socket(AF_INET, SOCK_STREAM, 0);
    show("listen on an unbound socket", listen(a, 8));
    name("its name", a, 0);
    close(a);
}

static void tcp(void) {
    char buffer[64];
    int l = listening(AF_INET, "127.0.0.1");
    int lp = port(l, 0);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    long r = connect_to(c, "127.0.0.1", lp);
    show("connect to a listener on 127.0.0.1", r);
    int cp = name("client's name", c, 0);
    struct sockaddr_storage from = {.ss_family = AF_UNSPEC};
    socklen_t n = sizeof from;
    int s = r == 0 ? accept(l, (struct sockaddr *) &from, &n) : -1;
    printf("accept gave a socket: %d\n", s >= 0);
    describe("accept's address", &from, n);
    printf("accept's address port equals client's port: %d\n", port_in(&from) == cp);
    printf("server socket's peer port equals client's port: %d\n", name("server socket's peer", s, 1) == cp);
    printf("server socket's port equals listener's: %d\n", port(s, 0) == lp);
    printf("client's peer port equals listener's: %d\n", name("client's peer", c, 1) == lp);
    printf("SO_ACCEPTCONN: listener %ld, client %ld, server socket %ld\n", get(l, SOL_SOCKET, SO_ACCEPTCONN),
           get(c, SOL_SOCKET, SO_ACCEPTCONN), get(s, SOL_SOCKET, SO_ACCEPTCONN));

    show("client write", write(c, "ping", 4));
    received("server read", read(s, buffer, sizeof buffer), buffer);
    show("server send", send(s, "pong", 4, 0));
    received("client recv", recv(c, buffer, sizeof buffer, 0), buffer);
    show("server send", send(s, "peeked", 6, 0));
    received("client recv MSG_PEEK", recv(c, buffer, sizeof buffer, MSG_PEEK), buffer);
    queued("client FIONREAD", c);
    received("client recv", recv(c, buffer, sizeof buffer, 0), buffer);
    queued("client FIONREAD after", c);

    show("client shutdown(SHUT_WR)", shutdown(c, SHUT_WR));
    received("server read", read(s, buffer, sizeof buffer), buffer);
    show("client write after its SHUT_WR", write(c, "x", 1));
    show("server write after the client's SHUT_WR", write(s, "late", 4));
    received("client read", read(c, buffer, sizeof buffer), buffer);
    close(c);
    received("server read after the client closed", read(s, buffer, sizeof buffer), buffer);
    show("server write to the closed client", write(s, "lost", 4));
    struct pollfd waiting = {.fd = s, .events = 0};
    show("poll for the client's reset", poll(&waiting, 1, -1));
    printf("POLLERR %d, POLLHUP %d\n", !!(waiting.revents & POLLERR), !!(waiting.revents & POLLHUP));
    show("server write again", write(s, "lost", 4));
    show("server write once more", write(s, "lost", 4));
    received("server read", read(s, buffer, sizeof buffer), buffer);
    close(s);

    c = socket(AF_INET, SOCK_STREAM, 0);
    r = connect_to(c, "127.0.0.1", lp);
    s = r == 0 ? accept(l, NULL, NULL) : -1;
    show("server send", send(s, "unread", 6, 0));
    received("client recv MSG_PEEK", recv(c, buffer, sizeof buffer, MSG_PEEK), buffer);
    close(c);
    received("server read after the client closed with data unread", read(s, buffer, sizeof buffer), buffer);
    received("server read again", read(s, buffer, sizeof buffer), buffer);
    show("server write", write(s, "lost", 4));
    closing(2, s, l);

    l = listening(AF_INET, "127.0.0.1");
    lp = port(l, 0);
    pid_t child = fork();
    if (child == 0) {
        int k = socket(AF_INET, SOCK_STREAM, 0);
        connect_to(k, "127.0.0.1", lp);
        write(k, "child", 5);
        _exit(7);
    }
    s = accept(l, NULL, NULL);
    printf("accept, blocked until a child connected, gave a socket: %d\n", s >= 0);
    received("read from the child", read(s, buffer, sizeof buffer), buffer);
    received("read after the child exited", read(s, buffer, sizeof buffer), buffer);
    int status;
    waitpid(child, &status, 0);
    printf("child exited: %d, status %d\n", WIFEXITED(status), WEXITSTATUS(status));
    closing(2, s, l);
}

static void connecting(void) {
    int hold = bound(AF_INET, SOCK_STREAM, "127.0.0.1", 0);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    show("connect to a bound port nobody listens on", connect_to(c, "127.0.0.1", port(hold, 0)));
    show("connect again", connect_to(c, "127.0.0.1", port(hold, 0)));
    closing(2, c, hold);

    int l = listening(AF_INET, "127.0.0.1");
    int lp = port(l, 0);
    c = socket(AF_INET, SOCK_STREAM, 0);
    long r = connect_to(c, "0.0.0.0", lp);
    show("connect to 0.0.0.0 at the listener's port", r);
    name("its peer", c, 1);
    name("its name", c, 0);
    show("connect again, connected", connect_to(c, "127.0.0.1", lp));
    settle(l, c, r);

    c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    r = connect_to(c, "127.0.0.1", lp);
    int pending = r == 0 || errno == EINPROGRESS;
    show("non-blocking connect", r);
    struct pollfd waiting = {.fd = c, .events = POLLOUT};
    show("poll for POLLOUT", pending ? poll(&waiting, 1, -1) : -1);
    printf("POLLOUT: %d\n", !!(waiting.revents & POLLOUT));
    show("SO_ERROR", get(c, SOL_SOCKET, SO_ERROR));
    show("connect again", r = connect_to(c, "127.0.0.1", lp));
    show("connect once more", connect_to(c, "127.0.0.1", lp));
    settle(l, c, r);
    close(l);

    l = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    bind_to(l, "127.0.0.1", 0);
    listen(l, 8);
    show("accept on a non-blocking listener, nothing pending", accept(l, NULL, NULL));
    waiting = (struct pollfd){.fd = l, .events = POLLIN};
    show("poll it, nothing pending", poll(&waiting, 1, 0));
    c = socket(AF_INET, SOCK_STREAM, 0);
    show("connect to it", r = connect_to(c, "127.0.0.1", port(l, 0)));
    show("poll it, one pending", r == 0 ? poll(&waiting, 1, -1) : -1);
    printf("POLLIN: %d\n", !!(waiting.revents & POLLIN));
    int s = accept(l, NULL, NULL);
    printf("accept gave a socket: %d, O_NONBLOCK: %d\n", s >= 0, !!(fcntl(s, F_GETFL) & O_NONBLOCK));
    show("accept again", accept(l, NULL, NULL));
    closing(3, c, s, l);
}

static void six(void) {
    int l = listening(AF_INET6, "::1");
    int c = socket(AF_INET6, SOCK_STREAM, 0);
    long r = connect_to(c, "::1", port(l, 0));
    show("connect to a listener on ::1", r);
    int s = r == 0 ? accept(l, NULL, NULL) : -1;
    int cp = name("client's name", c, 0);
    printf("server socket's peer port equals client's port: %d\n", name("server socket's peer", s, 1) == cp);
    closing(3, c, s, l);

    l = socket(AF_INET6, SOCK_STREAM, 0);
    show("IPV6_V6ONLY 0", set(l, IPPROTO_IPV6, IPV6_V6ONLY, 0));
    show("IPV6_V6ONLY", get(l, IPPROTO_IPV6, IPV6_V6ONLY));
    show("bind to [::]:0", bind_to(l, "::", 0));
    listen(l, 8);
    c = socket(AF_INET, SOCK_STREAM, 0);
    r = connect_to(c, "127.0.0.1", port(l, 0));
    show("AF_INET connect to 127.0.0.1 at the dual-stack listener's port", r);
    struct sockaddr_storage from = {.ss_family = AF_UNSPEC};
    socklen_t n = sizeof from;
    s = r == 0 ? accept(l, (struct sockaddr *) &from, &n) : -1;
    describe("accept's address", &from, n);
    printf("its port equals client's: %d\n", port_in(&from) == port(c, 0));
    name("server socket's name", s, 0);
    closing(2, c, s);
    c = socket(AF_INET6, SOCK_STREAM, 0);
    r = connect_to(c, "::ffff:127.0.0.1", port(l, 0));
    show("AF_INET6 connect to ::ffff:127.0.0.1 there", r);
    name("client's name", c, 0);
    name("client's peer", c, 1);
    settle(l, c, r);
    close(l);

    /* The v6-only socket picks the port, then an AF_INET socket holds 127.0.0.1 there (so that no one else can
       listen on it). The other way round, a TIME_WAIT socket on [::1] could make [::]'s bind fail. */
    l = socket(AF_INET6, SOCK_STREAM, 0);
    show("IPV6_V6ONLY 1", set(l, IPPROTO_IPV6, IPV6_V6ONLY, 1));
    show("IPV6_V6ONLY", get(l, IPPROTO_IPV6, IPV6_V6ONLY));
    show("bind to [::]:0", bind_to(l, "::", 0));
    listen(l, 8);
    int p = port(l, 0);
    int hold = bound(AF_INET, SOCK_STREAM, "127.0.0.1", p);
    c = socket(AF_INET, SOCK_STREAM, 0);
    show("AF_INET connect to 127.0.0.1 at the v6-only listener's port", connect_to(c, "127.0.0.1", p));
    close(c);
    c = socket(AF_INET6, SOCK_STREAM, 0);
    show("AF_INET6 connect to ::1 there", r = connect_to(c, "::1", p));
    settle(l, c, r);
    c = socket(AF_INET6, SOCK_STREAM, 0);
    set(c, IPPROTO_IPV6, IPV6_V6ONLY, 1);
    show("v6-only AF_INET6 connect to ::ffff:127.0.0.1", connect_to(c, "::ffff:127.0.0.1", p));
    closing(3, c, l, hold);
}

static void options(void) {
    int t = socket(AF_INET, SOCK_STREAM, 0);
    show("SO_REUSEADDR at first", get(t, SOL_SOCKET, SO_REUSEADDR));
    show("set SO_REUSEADDR 5", set(t, SOL_SOCKET, SO_REUSEADDR, 5));
    show("SO_REUSEADDR", get(t, SOL_SOCKET, SO_REUSEADDR));
    show("TCP_NODELAY at first", get(t, IPPROTO_TCP, TCP_NODELAY));
    show("set TCP_NODELAY 1", set(t, IPPROTO_TCP, TCP_NODELAY, 1));
    show("TCP_NODELAY", get(t, IPPROTO_TCP, TCP_NODELAY));
    show("SO_KEEPALIVE at first", get(t, SOL_SOCKET, SO_KEEPALIVE));
    show("set SO_KEEPALIVE 1", set(t, SOL_SOCKET, SO_KEEPALIVE, 1));
    show("SO_KEEPALIVE", get(t, SOL_SOCKET, SO_KEEPALIVE));
    show("SO_ERROR", get(t, SOL_SOCKET, SO_ERROR));
    close(t);
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    show("set TCP_NODELAY on a UDP socket", set(u, IPPROTO_TCP, TCP_NODELAY, 1));
    close(u);
}

static void udp(void) {
    char buffer[64];
    int a = bound(AF_INET, SOCK_DGRAM, "127.0.0.1", 0);
    int b = bound(AF_INET, SOCK_DGRAM, "127.0.0.1", 0);
    int bp = port(b, 0);
    struct sockaddr_storage from;
    socklen_t n = sizeof from;
    show("sendto from A to B", send_to(a, "datagram", "127.0.0.1", bp));
    received("B's recvfrom", recvfrom(b, buffer, sizeof buffer, 0, (struct sockaddr *) &from, &n), buffer);
    describe("its sender", &from, n);
    printf("its sender's port equals A's: %d\n", port_in(&from) == port(a, 0));
    int c = socket(AF_INET, SOCK_DGRAM, 0);
    name("unbound C's name", c, 0);
    show("sendto from C to B", send_to(c, "from c", "127.0.0.1", bp));
    name("C's name after", c, 0);
    n = sizeof from;
    received("B's recvfrom", recvfrom(b, buffer, sizeof buffer, 0, (struct sockaddr *) &from, &n), buffer);
    printf("its sender's port equals C's: %d\n", port_in(&from) == port(c, 0));
    close(c);

    show("connect A to B", connect_to(a, "127.0.0.1", bp));
    name("A's peer", a, 1);
    show("send from A without an address", send(a, "connected", 9, 0));
    received("B's recv", recv(b, buffer, sizeof buffer, 0), buffer);
    send(a, "abcdefgh", 8, 0);
    received("recv with a 3-byte buffer", recv(b, buffer, 3, 0), buffer);
    show("the rest is gone: recv MSG_DONTWAIT", recv(b, buffer, sizeof buffer, MSG_DONTWAIT));
    send(a, "abcdefgh", 8, 0);
    show("recv MSG_TRUNC with a 3-byte buffer", recv(b, buffer, 3, MSG_TRUNC));
    send(a, "abcdefgh", 8, 0);
    struct iovec part = {.iov_base = buffer, .iov_len = 3};
    struct msghdr message = {.msg_iov = &part, .msg_iovlen = 1};
    show("recvmsg with a 3-byte buffer", recvmsg(b, &message, 0));
    printf("its msg_flags MSG_TRUNC: %d\n", !!(message.msg_flags & MSG_TRUNC));
    show("send an empty datagram", send(a, "", 0, 0));
    show("B's recv", recv(b, buffer, sizeof buffer, 0));
    send(a, "12345", 5, 0);
    send(a, "1234567", 7, 0);
    struct pollfd waiting = {.fd = b, .events = POLLIN};
    poll(&waiting, 1, -1);
    queued("B's FIONREAD, two datagrams sent", b);
    received("B's recv", recv(b, buffer, sizeof buffer, 0), buffer);
    received("B's recv", recv(b, buffer, sizeof buffer, 0), buffer);
    queued("B's FIONREAD, nothing left", b);
    closing(2, a, b);

    int gone = bound(AF_INET, SOCK_DGRAM, "127.0.0.1", 0);
    int gp = port(gone, 0);
    close(gone);
    a = socket(AF_INET, SOCK_DGRAM, 0);
    show("unconnected sendto a closed port", send_to(a, "nobody", "127.0.0.1", gp));
    show("then recv MSG_DONTWAIT", recv(a, buffer, sizeof buffer, MSG_DONTWAIT));
    close(a);
    a = socket(AF_INET, SOCK_DGRAM, 0);
    show("connect to the closed port", connect_to(a, "127.0.0.1", gp));
    show("connected send to nobody", send(a, "abc", 3, 0));
    show("next send", send(a, "abc", 3, 0));
    show("next send", send(a, "abc", 3, 0));
    show("next recv MSG_DONTWAIT", recv(a, buffer, sizeof buffer, MSG_DONTWAIT));
    show("next recv MSG_DONTWAIT", recv(a, buffer, sizeof buffer, MSG_DONTWAIT));
    show("next send", send(a, "abc", 3, 0));
    show("SO_ERROR", get(a, SOL_SOCKET, SO_ERROR));
    show("SO_ERROR again", get(a, SOL_SOCKET, SO_ERROR));
    close(a);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGPIPE, SIG_IGN);
    kinds();
    binding();
    tcp();
    connecting();
    six();
    options();
    udp();
    return 0;
}
