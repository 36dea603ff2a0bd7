// The floor of a request/reply round trip on this machine: two processes ping-pong 20 then 40 bytes over loopback
// TCP (TCP_NODELAY), with no JVM, no Netty and no debugger in the way (docs/benchmarks.md, "Cross-core wake-ups,
// wave 12"). Each side waits for the other's bytes either in a blocking read (POLL_NS 0) or by polling its socket
// with non-blocking recv for up to POLL_NS nanoseconds first and then a blocking read: what hdbg's event loops do
// (dev.hdbg.common.wire.PollBeforeBlock). On a VM whose idle vCPUs halt at once
// (/sys/module/haltpoll/parameters/guest_halt_poll_ns 0), a blocking wait costs a cross-core wake-up each way.
//
// Usage: gcc -O2 -o /tmp/loopback_floor bench/loopback_floor.c
//        /tmp/loopback_floor ROUND_TRIPS [POLL_NS [yield]]   e.g. 20000 0 (blocking), 20000 50000 (poll 50 us first),
//                                                          20000 50000 yield (sched_yield between two polls)
//        taskset -c 0 /tmp/loopback_floor 20000 0       (both processes on one core: no cross-core wake-up)
// Prints microseconds a round trip and the CPU both processes took a round trip. Not part of the test run.
#include <netinet/in.h>
#include <sched.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long poll_ns;
static int yield_between;

static long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

// One message: polled for up to poll_ns, then waited for.
static void receive(int s, char *buffer) {
    long start = now_ns();
    while (poll_ns > 0 && now_ns() - start < poll_ns) {
        if (recv(s, buffer, 64, MSG_DONTWAIT) > 0) {
            return;
        }
        if (yield_between) {
            sched_yield();
        }
    }
    if (read(s, buffer, 64) <= 0) {
        exit(1);
    }
}

static int no_delay(int s) {
    int one = 1;
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return s;
}

static double cpu_seconds(int who) {
    struct rusage u;
    getrusage(who, &u);
    return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s ROUND_TRIPS [POLL_NS [yield]]\n", argv[0]);
        return 2;
    }
    int n = atoi(argv[1]);
    poll_ns = argc > 2 ? atol(argv[2]) : 0;
    yield_between = argc > 3 && argv[3][0] == 'y';
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in address = {0};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(listener, (struct sockaddr *) &address, sizeof address);
    listen(listener, 1);
    socklen_t length = sizeof address;
    getsockname(listener, (struct sockaddr *) &address, &length);
    char buffer[64] = {0};
    pid_t child = fork();
    if (child == 0) { // the answering side: a reply of 40 bytes to each request
        int s = no_delay(socket(AF_INET, SOCK_STREAM, 0));
        connect(s, (struct sockaddr *) &address, sizeof address);
        for (int i = 0; i < n; i++) {
            receive(s, buffer);
            write(s, buffer, 40);
        }
        return 0;
    }
    int s = no_delay(accept(listener, 0, 0));
    long start = now_ns();
    for (int i = 0; i < n; i++) {
        write(s, buffer, 20);
        receive(s, buffer);
    }
    long elapsed = now_ns() - start;
    waitpid(child, 0, 0);
    double cpu = cpu_seconds(RUSAGE_SELF) + cpu_seconds(RUSAGE_CHILDREN);
    printf("poll %ld ns%s: %.1f us a round trip, %.1f us of CPU a round trip (both processes)\n", poll_ns,
           yield_between ? " (yielding)" : "", elapsed / 1e3 / n, cpu * 1e6 / n);
    return 0;
}
