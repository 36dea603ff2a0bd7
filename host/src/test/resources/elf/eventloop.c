/*
 * An event loop's waits beside another thread: epoll on an eventfd the thread writes, poll on a pipe it writes later,
 * and an epoll wait that times out while the thread sleeps. poll and epoll used to return 0 at once beside another
 * thread (and eventfd was ENOSYS), where they block natively.
 */
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

static int efd;
static int fds[2];

static void *counter(void *arg) {
    for (int i = 0; i < 5; i++) {
        uint64_t one = 1;
        usleep(1000);
        write(efd, &one, 8);
    }
    usleep(2000);
    write(fds[1], "x", 1);
    usleep(200000);
    return arg;
}

int main(void) {
    efd = eventfd(0, EFD_CLOEXEC);
    pipe(fds);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 77};
    epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev);
    pthread_t t;
    pthread_create(&t, 0, counter, 0);
    uint64_t total = 0;
    while (total < 5) {
        struct epoll_event out;
        int n = epoll_wait(ep, &out, 1, 5000);
        if (n != 1 || out.data.u64 != 77) {
            printf("epoll_wait returned %d\n", n);
            return 1;
        }
        uint64_t v;
        read(efd, &v, 8);
        total += v;
    }
    printf("eventfd counted %llu\n", (unsigned long long) total);
    struct pollfd p = {.fd = fds[0], .events = POLLIN};
    int n = poll(&p, 1, 5000);
    char c = 0;
    read(fds[0], &c, 1);
    printf("poll %d revents %d read %c\n", n, p.revents, c);
    struct epoll_event out;
    printf("epoll_wait with nothing to come: %d\n", epoll_wait(ep, &out, 1, 50));
    pthread_join(t, 0);
    return 0;
}
