/* SO_RCVTIMEO and SO_SNDTIMEO, run natively and under hdbg (ProcessProgramsIT): the values getsockopt gives back
   (Linux keeps jiffies, rounded up), EDOM and EINVAL for bad ones, a receive, a read and an accept that give up with
   EAGAIN after their timeout, a negative timeout that does not wait, a socket pair's end, data that comes before the
   timeout (from a child), a send that gives up on a full socket, and a signal that ends a timed receive with EINTR
   even under SA_RESTART. */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "show.h"

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static int set_timeout(int fd, int option, long seconds, long micros) {
    struct timeval tv = {seconds, micros};
    return setsockopt(fd, SOL_SOCKET, option, &tv, sizeof tv);
}

/* Shows what a call did and whether it waited its timeout (and not much longer). */
static void timed(const char *what, long r, double started, double timeout) {
    double waited = now() - started;
    show(what, r);
    printf("  waited the timeout: %d, not 2 s more: %d\n", waited >= timeout - 0.001, waited < timeout + 2);
}

static void on_alarm(int signal) {
    (void) signal;
}

int main(void) {
    int udp = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bind(udp, (struct sockaddr *) &address, sizeof address);
    long values[][2] = {{0, 1}, {0, 1000}, {0, 4001}, {0, 200000}, {1, 500000}, {-1, 0}, {0, 0}, {0, 1000000},
                        {2, -1}};
    for (unsigned i = 0; i < sizeof values / sizeof values[0]; i++) {
        int r = set_timeout(udp, SO_RCVTIMEO, values[i][0], values[i][1]);
        struct timeval back = {0};
        socklen_t length = sizeof back;
        getsockopt(udp, SOL_SOCKET, SO_RCVTIMEO, &back, &length);
        printf("SO_RCVTIMEO %ld.%06ld: %d%s%s, reads %ld.%06ld (%u bytes)\n", values[i][0], values[i][1], r,
               r ? " " : "", r ? errno_name(errno) : "", (long) back.tv_sec, (long) back.tv_usec, length);
    }
    struct timeval tv = {0, 200000};
    show("set with a short length", setsockopt(udp, SOL_SOCKET, SO_RCVTIMEO, &tv, 8));

    char buffer[16];
    set_timeout(udp, SO_RCVTIMEO, 0, 200000);
    double started = now();
    timed("recv, nothing sent", recv(udp, buffer, sizeof buffer, 0), started, 0.2);
    started = now();
    timed("read, nothing sent", read(udp, buffer, sizeof buffer), started, 0.2);
    set_timeout(udp, SO_RCVTIMEO, -1, 0);
    started = now();
    show("recv with a negative timeout", recv(udp, buffer, sizeof buffer, 0));
    printf("  at once: %d\n", now() - started < 0.1);

    int listener = socket(AF_INET, SOCK_STREAM, 0);
    address.sin_port = 0;
    bind(listener, (struct sockaddr *) &address, sizeof address);
    listen(listener, 4);
    set_timeout(listener, SO_RCVTIMEO, 0, 100000);
    started = now();
    timed("accept, no one connects", accept(listener, NULL, NULL), started, 0.1);

    int pair[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, pair);
    set_timeout(pair[0], SO_RCVTIMEO, 0, 100000);
    started = now();
    timed("socketpair end's recv", recv(pair[0], buffer, sizeof buffer, 0), started, 0.1);

    set_timeout(pair[0], SO_RCVTIMEO, 5, 0);
    pid_t child = fork();
    if (child == 0) {
        write(pair[1], "early", 5);
        _exit(0);
    }
    started = now();
    long got = recv(pair[0], buffer, sizeof buffer, 0);
    show("recv, a child sends before the timeout", got);
    printf("  before the timeout: %d, '%.*s'\n", now() - started < 5, (int) (got > 0 ? got : 0), buffer);
    waitpid(child, NULL, 0);

    set_timeout(pair[1], SO_SNDTIMEO, 0, 100000);
    static char block[65536];
    long sent = 0;
    for (int i = 0; i < 100; i++) {
        started = now();
        long r = send(pair[1], block, sizeof block, 0);
        if (r < 0) {
            timed("send on a full socket", r, started, 0.1);
            break;
        }
        sent += r;
    }
    printf("  sent before it was full: %d\n", sent > 0);

    struct sigaction action = {.sa_handler = on_alarm, .sa_flags = SA_RESTART};
    sigaction(SIGALRM, &action, NULL);
    struct itimerval timer = {.it_value = {0, 50000}};
    setitimer(ITIMER_REAL, &timer, NULL);
    set_timeout(udp, SO_RCVTIMEO, 5, 0);
    started = now();
    show("recv with a timeout, a signal under SA_RESTART", recv(udp, buffer, sizeof buffer, 0));
    printf("  before the timeout: %d\n", now() - started < 5);
    return 0;
}
