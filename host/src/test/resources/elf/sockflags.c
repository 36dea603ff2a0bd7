/* The flags of send and recv on Unix sockets, run natively and under hdbg (ProcessProgramsIT): Linux takes MSG_MORE,
   MSG_EOR, MSG_CONFIRM and the like and ignores them, refuses MSG_OOB on message sockets, finds no out-of-band data
   on a stream (EINVAL), and MSG_WAITALL makes a stream's recv wait for its whole buffer or the end of the stream.
   Before stop 51 every flag but MSG_DONTWAIT, MSG_NOSIGNAL and MSG_PEEK was EOPNOTSUPP. (A stream's MSG_OOB send,
   which Linux 5.15 and later take, is not emulated, and not asked here.) */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static void show(const char *what, long r) {
    if (r < 0) {
        printf("%s: -1 (%s)\n", what, strerrorname_np(errno));
    } else {
        printf("%s: %ld\n", what, r);
    }
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
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
