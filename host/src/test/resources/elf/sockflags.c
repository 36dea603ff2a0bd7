/* The flags of send and recv on Unix sockets, and SO_PEERCRED, run natively and under hdbg (ProcessProgramsIT).
   The peer a socket's credentials name: socketpair's creator, the listener for a client, the client for a server,
   none for an unconnected socket (before stop 51, always the caller itself). Linux takes MSG_MORE, MSG_EOR,
   MSG_CONFIRM and the like and ignores them, refuses MSG_OOB on message sockets, finds no out-of-band data on a
   stream (EINVAL), and MSG_WAITALL makes a stream's recv wait for its whole buffer or the end of the stream. Before
   stop 51 every flag but MSG_DONTWAIT, MSG_NOSIGNAL and MSG_PEEK was EOPNOTSUPP. (A stream's MSG_OOB send, which
   Linux 5.15 and later take, is not emulated, and not asked here.) */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include "show.h"

static int peer_pid(int fd) {
    struct ucred credentials;
    socklen_t length = sizeof credentials;
    getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length);
    return credentials.pid;
}

static void peer_credentials(void) {
    int me = getpid();
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    pid_t child = fork();
    if (child == 0) {
        printf("socketpair's peer, in the child: its creator %d\n", peer_pid(sv[0]) == me);
        _exit(0);
    }
    waitpid(child, NULL, 0);
    close(sv[0]);
    close(sv[1]);

    struct sockaddr_un address = {.sun_family = AF_UNIX};
    int n = snprintf(address.sun_path + 1, sizeof address.sun_path - 1, "hdbg-sockflags-%d", me);
    socklen_t length = offsetof(struct sockaddr_un, sun_path) + 1 + n;
    int server = socket(AF_UNIX, SOCK_STREAM, 0);
    bind(server, (struct sockaddr *) &address, length);
    listen(server, 1);
    int go[2];
    pipe(go);
    child = fork();
    if (child == 0) {
        int client = socket(AF_UNIX, SOCK_STREAM, 0);
        connect(client, (struct sockaddr *) &address, length);
        int is_server = peer_pid(client) == me;
        write(go[1], "x", 1);
        char done;
        read(client, &done, 1);
        printf("the client's peer is the server: %d\n", is_server);
        _exit(0);
    }
    int connection = accept(server, NULL, NULL);
    char ready;
    read(go[0], &ready, 1);
    printf("the server's peer is the client: %d\n", peer_pid(connection) == child);
    write(connection, "x", 1);
    waitpid(child, NULL, 0);
    struct ucred none;
    socklen_t size = sizeof none;
    int unconnected = socket(AF_UNIX, SOCK_STREAM, 0);
    int r = getsockopt(unconnected, SOL_SOCKET, SO_PEERCRED, &none, &size);
    printf("an unconnected socket's: %d, pid %d, uid %d, gid %d\n", r, none.pid, (int) none.uid, (int) none.gid);
    close(unconnected);
    close(connection);
    close(server);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    peer_credentials();
    const int types[] = {SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET};
    const char *type_names[] = {"stream", "dgram", "seqpacket"};
    const int send_flags[] = {MSG_MORE, MSG_EOR, MSG_CONFIRM, MSG_DONTROUTE, MSG_OOB};
    const char *send_names[] = {"MSG_MORE", "MSG_EOR", "MSG_CONFIRM", "MSG_DONTROUTE", "MSG_OOB"};
    const int receive_flags[] = {MSG_WAITALL, MSG_ERRQUEUE, MSG_TRUNC, MSG_OOB, MSG_CMSG_CLOEXEC};
    const char *receive_names[] = {"MSG_WAITALL", "MSG_ERRQUEUE", "MSG_TRUNC", "MSG_OOB", "MSG_CMSG_CLOEXEC"};
    char buffer[16];
    char what[64];
    int sv[2];
    for (int t = 0; t < 3; t++) {
        for (int f = 0; f < 5; f++) {
            if (types[t] == SOCK_STREAM && send_flags[f] == MSG_OOB) {
                continue;
            }
            socketpair(AF_UNIX, types[t] | SOCK_NONBLOCK, 0, sv);
            snprintf(what, sizeof what, "%s send %s", type_names[t], send_names[f]);
            show(what, send(sv[0], "abcd", 4, send_flags[f]));
            close(sv[0]);
            close(sv[1]);
        }
        for (int f = 0; f < 5; f++) {
            socketpair(AF_UNIX, types[t] | SOCK_NONBLOCK, 0, sv);
            send(sv[0], "abcd", 4, 0);
            snprintf(what, sizeof what, "%s recv 2 with %s", type_names[t], receive_names[f]);
            show(what, recv(sv[1], buffer, 2, receive_flags[f]));
            close(sv[0]);
            close(sv[1]);
        }
    }

    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    pid_t child = fork();
    if (child == 0) {
        write(sv[0], "ab", 2);
        usleep(30000);
        write(sv[0], "cd", 2);
        usleep(30000);
        write(sv[0], "e", 1);
        _exit(0);
    }
    close(sv[0]);
    show("stream recv 4 with MSG_WAITALL, written in two", recv(sv[1], buffer, 4, MSG_WAITALL));
    show("then 4 with MSG_WAITALL, one byte before the end", recv(sv[1], buffer, 4, MSG_WAITALL));
    waitpid(child, NULL, 0);
    close(sv[1]);

    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    write(sv[0], "ab", 2);
    show("MSG_WAITALL | MSG_DONTWAIT with 2 of 4 there", recv(sv[1], buffer, 4, MSG_WAITALL | MSG_DONTWAIT));
    close(sv[0]);
    close(sv[1]);
    return 0;
}
