/* Named Unix datagram sockets, run natively and under hdbg (ProcessProgramsIT): sendto any bound datagram socket,
   the sender's name in recvfrom (none for an unnamed sender), connect naming where sends go and the only sender a
   socket hears (EPERM for others), the queue of a socket not connected back to its sender (net.unix.max_dgram_qlen,
   one more than the setting), a receiver blocked across processes, and a receiver that closed (ECONNREFUSED, then
   ENOTCONN), and a name the kernel chooses (autobind). Abstract names, so that it needs no writable directory. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include "show.h"

struct name {
    struct sockaddr_un address;
    socklen_t length;
    const char *label;
};

static struct name names[3];

static struct name *named(int i, const char *label) {
    struct name *n = &names[i];
    memset(&n->address, 0, sizeof n->address);
    n->address.sun_family = AF_UNIX;
    int k = snprintf(n->address.sun_path + 1, sizeof n->address.sun_path - 1, "hdbg-dgram-%s-%d", label,
                     (int) getpid());
    n->length = offsetof(struct sockaddr_un, sun_path) + 1 + k;
    n->label = label;
    return n;
}

static long send_to(int fd, const char *text, struct name *to) {
    return sendto(fd, text, strlen(text), MSG_DONTWAIT, (struct sockaddr *) &to->address, to->length);
}

/* What recvfrom gets, and whose name came with it. */
static void receive(const char *what, int fd) {
    char buffer[32];
    struct sockaddr_un from;
    socklen_t length = sizeof from;
    long n = recvfrom(fd, buffer, sizeof buffer, MSG_DONTWAIT, (struct sockaddr *) &from, &length);
    if (n < 0) {
        printf("%s: -1 (%s)\n", what, errno_name(errno));
        return;
    }
    const char *sender = length == 0 ? "no one named (address length 0)" : "someone else";
    for (int i = 0; i < 3; i++) {
        if (length == names[i].length && memcmp(&from, &names[i].address, length) == 0) {
            sender = names[i].label;
        }
    }
    printf("%s: %ld '%.*s' from %s\n", what, n, (int) n, buffer, sender); /* a name matches in its length too */
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    struct name *server_name = named(0, "server"), *client_name = named(1, "client"), *nobody = named(2, "nobody");
    int server = socket(AF_UNIX, SOCK_DGRAM, 0);
    show("bind the server", bind(server, (struct sockaddr *) &server_name->address, server_name->length));
    int client = socket(AF_UNIX, SOCK_DGRAM, 0);
    show("send without an address, unconnected", send(client, "x", 1, 0));
    show("sendto a name no socket has", send_to(client, "x", nobody));
    show("sendto the server, unnamed", send_to(client, "hi", server_name));
    receive("the server receives", server);
    show("bind the client", bind(client, (struct sockaddr *) &client_name->address, client_name->length));
    show("sendto the server, named", send_to(client, "hello", server_name));
    receive("the server receives", server);
    show("the server answers", send_to(server, "back", client_name));
    receive("the client receives", client);

    show("connect the client", connect(client, (struct sockaddr *) &server_name->address, server_name->length));
    show("send, connected", send(client, "conn", 4, 0));
    receive("the server receives", server);
    int third = socket(AF_UNIX, SOCK_DGRAM, 0);
    show("a third socket sends to the connected client", send_to(third, "3", client_name));
    show("the server sends to it", send_to(server, "s", client_name));
    receive("the client receives", client);
    struct sockaddr_un peer;
    socklen_t peer_length = sizeof peer;
    show("getpeername", getpeername(client, (struct sockaddr *) &peer, &peer_length));
    printf("its peer is the server: %d\n", peer_length == server_name->length
           && memcmp(&peer, &server_name->address, peer_length) == 0);
    show("listen", listen(client, 1));
    struct sockaddr unspecified = {.sa_family = AF_UNSPEC};
    show("connect to AF_UNSPEC", connect(client, &unspecified, sizeof unspecified));
    show("a send without an address", send(client, "x", 1, 0));
    show("the third socket sends to it now", send_to(third, "3", client_name));
    receive("the client receives", client);
    show("connect the client again", connect(client, (struct sockaddr *) &server_name->address,
                                             server_name->length));

    int queued = 0;
    while (send_to(third, "q", server_name) == 1 && queued < 100000) {
        queued++;
    }
    printf("the server holds a third socket's messages until %s: %d\n", errno_name(errno), queued);
    int drained = 0;
    char byte;
    while (recv(server, &byte, 1, MSG_DONTWAIT) >= 0) {
        drained++;
    }
    printf("drained: %d\n", drained);
    struct pollfd p = {server, POLLIN | POLLOUT, 0};
    poll(&p, 1, 0);
    printf("poll of the empty server: %#x\n", p.revents);

    pid_t child = fork();
    if (child == 0) {
        char got[8];
        long n = recv(server, got, sizeof got, 0);
        printf("the child's blocking recv: %ld '%.*s'\n", n, (int) n, got);
        _exit(0);
    }
    usleep(50000);
    long woke = send(client, "wake", 4, 0);
    waitpid(child, NULL, 0);
    show("the client sent", woke);

    /* An empty name binds a name of the kernel's choosing: a NUL and five hex digits (autobind). */
    int automatic = socket(AF_UNIX, SOCK_DGRAM, 0);
    struct sockaddr_un family_only = {.sun_family = AF_UNIX};
    show("bind an empty name", bind(automatic, (struct sockaddr *) &family_only, sizeof(sa_family_t)));
    show("bind an empty name again", bind(automatic, (struct sockaddr *) &family_only, sizeof(sa_family_t)));
    struct sockaddr_un chosen;
    socklen_t chosen_length = sizeof chosen;
    show("getsockname", getsockname(automatic, (struct sockaddr *) &chosen, &chosen_length));
    printf("the chosen name: %d bytes, abstract %d\n", (int) chosen_length - (int) sizeof(sa_family_t),
           chosen.sun_path[0] == 0);
    show("it sends to the server", send_to(automatic, "auto", server_name));
    char got[8];
    struct sockaddr_un from;
    socklen_t from_length = sizeof from;
    long n = recvfrom(server, got, sizeof got, MSG_DONTWAIT, (struct sockaddr *) &from, &from_length);
    printf("the server gets %ld bytes from that name: %d\n", n, from_length == chosen_length
           && memcmp(&from, &chosen, from_length) == 0);
    show("and answers it", sendto(server, "re", 2, MSG_DONTWAIT, (struct sockaddr *) &from, from_length));
    show("which it receives", recv(automatic, got, sizeof got, MSG_DONTWAIT));
    show("connect to an empty name", connect(automatic, (struct sockaddr *) &family_only, sizeof(sa_family_t)));
    close(automatic);

    close(server);
    show("send after the server closed", send(client, "x", 1, 0));
    show("send again", send(client, "x", 1, 0));
    show("sendto the closed server's name", send_to(third, "x", server_name));
    return 0;
}
