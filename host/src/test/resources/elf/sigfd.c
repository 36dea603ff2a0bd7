/* signalfd, run natively and under hdbg (ProcessProgramsIT): blocked signals read as struct signalfd_siginfo — who
   sent them, sigqueue's value, a child's exit status, a timer's — several a read, none under 128 bytes, poll and epoll
   readiness, a blocking read a child's exit ends, a new mask, and the errors of bad arguments. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include "show.h"

static volatile sig_atomic_t alarms;

static void on_alarm(int signal) {
    (void) signal;
    alarms++;
}

static void one(struct signalfd_siginfo *i) {
    printf("  signo %u code %d, pid is mine %d, uid is mine %d\n", i->ssi_signo, i->ssi_code,
           i->ssi_pid == (uint32_t) getpid(), i->ssi_uid == (uint32_t) getuid());
}

int main(void) {
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    sigaddset(&mask, SIGUSR2);
    sigaddset(&mask, SIGCHLD);
    sigaddset(&mask, SIGALRM);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    show("signalfd with a bad flag", signalfd(-1, &mask, 1));
    show("signalfd with a mask of 4 bytes", syscall(SYS_signalfd4, -1, &mask, 4, 0));
    int fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
    printf("signalfd: %d, FD_CLOEXEC %d\n", fd >= 0, fcntl(fd, F_GETFD) & FD_CLOEXEC);
    struct signalfd_siginfo info[4];
    show("read, nothing pending", read(fd, info, sizeof info));
    struct pollfd p = {.fd = fd, .events = POLLIN};
    show("poll, nothing pending", poll(&p, 1, 0));

    raise(SIGUSR1);
    show("poll, SIGUSR1 pending", poll(&p, 1, 0));
    show("a read of 100 bytes", read(fd, info, 100));
    show("read", read(fd, info, sizeof info));
    one(&info[0]);

    union sigval value = {.sival_int = 42};
    sigqueue(getpid(), SIGUSR2, value);
    kill(getpid(), SIGUSR1);
    show("read, two pending", read(fd, info, sizeof info));
    one(&info[0]);
    one(&info[1]);
    printf("  sigqueue's value: %d\n", info[1].ssi_int);

    int epoll = epoll_create1(0);
    struct epoll_event watch = {.events = EPOLLIN, .data.u32 = 7};
    epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &watch);
    struct epoll_event event;
    show("epoll_wait, nothing pending", epoll_wait(epoll, &event, 1, 0));
    raise(SIGUSR2);
    show("epoll_wait, SIGUSR2 pending", epoll_wait(epoll, &event, 1, 0));
    show("epoll_wait again (level-triggered)", epoll_wait(epoll, &event, 1, 0));
    read(fd, info, sizeof info);

    sigset_t only_alarm;
    sigemptyset(&only_alarm);
    sigaddset(&only_alarm, SIGALRM);
    show("a new mask, the same descriptor", signalfd(fd, &only_alarm, 0) == fd);
    raise(SIGUSR1);
    show("SIGUSR1 is no longer read", read(fd, info, sizeof info));
    struct itimerval soon = {.it_value = {0, 10000}};
    setitimer(ITIMER_REAL, &soon, NULL);
    fcntl(fd, F_SETFL, 0);
    show("a blocking read, a timer's SIGALRM", read(fd, info, sizeof info));
    printf("  signo %u code %d\n", info[0].ssi_signo, info[0].ssi_code);
    signalfd(fd, &mask, 0);
    show("the SIGUSR1 left pending", read(fd, info, sizeof info));

    int pipefd[2];
    pipe(pipefd);
    show("signalfd on a pipe", signalfd(pipefd[0], &mask, 0));

    pid_t child = fork();
    if (child == 0) {
        usleep(20000);
        _exit(5);
    }
    show("a blocking read while a child exits", read(fd, info, sizeof info));
    printf("  signo %u code %d status %d, the child's pid %d\n", info[0].ssi_signo, info[0].ssi_code,
           info[0].ssi_status, info[0].ssi_pid == (uint32_t) child);
    waitpid(child, NULL, 0);

    /* A handled signal beside an open signalfd, from a timer, while another process lives: poll ends with EINTR. */
    struct sigaction on = {.sa_handler = on_alarm};
    sigaction(SIGALRM, &on, NULL);
    sigprocmask(SIG_UNBLOCK, &only_alarm, NULL);
    child = fork();
    if (child == 0) {
        usleep(300000);
        _exit(0);
    }
    setitimer(ITIMER_REAL, &soon, NULL);
    struct pollfd in = {.fd = pipefd[0], .events = POLLIN};
    show("poll beside a signalfd, a timer's handled SIGALRM", poll(&in, 1, 2000));
    printf("  the handler ran: %d\n", (int) alarms);
    waitpid(child, NULL, 0);
    return 0;
}
