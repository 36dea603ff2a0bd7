/* A background process group's access to its controlling terminal (job control): a read stops the reader with
   SIGTTIN until its session leader makes it the foreground group and continues it, when the read is made again and
   returns what was typed; with TOSTOP a write stops the writer with SIGTTOU the same way; a background read with
   SIGTTIN ignored fails with EIO. The program makes its own pseudo-terminal and session. Compared natively in
   ProcessProgramsIT. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include "show.h"

static void show_status(const char *what, int status) {
    if (WIFSTOPPED(status)) {
        printf("%s: stopped by %d\n", what, WSTOPSIG(status));
    } else if (WIFEXITED(status)) {
        printf("%s: exited %d\n", what, WEXITSTATUS(status));
    } else {
        printf("%s: status 0x%x\n", what, status);
    }
}

/* A child in a background group of the session: runs `job` on the terminal `tty`. */
static pid_t background(int tty, void (*job)(int)) {
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        job(tty);
        _exit(0);
    }
    setpgid(pid, pid);
    return pid;
}

static void reader(int tty) {
    char line[64] = {0};
    ssize_t n = read(tty, line, sizeof line - 1);
    printf("reader: read %zd: %s", n, line);
}

static void writer(int tty) {
    signal(SIGTTOU, SIG_DFL); /* the leader's ignored it */
    printf("writer: write %zd\n", write(tty, "out\n", 4));
}

static volatile sig_atomic_t ttins, notify_leader;

static void on_ttin(int s) {
    (void)s;
    if (ttins++ == 0 && notify_leader) {
        kill(getppid(), SIGUSR1); /* the leader now hands it the terminal */
    }
}

/* A reader that handles SIGTTIN: without SA_RESTART its read fails with EINTR; with it, the read is made again after
   each handler until its group is in the foreground, and returns what was typed. */
static void handling_reader(int tty) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_ttin;
    sigaction(SIGTTIN, &sa, NULL);
    char line[64] = {0};
    show("handling reader: read", read(tty, line, sizeof line - 1));
    printf("handling reader: handler ran %d time(s)\n", ttins);
    ttins = 0;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGTTIN, &sa, NULL);
    notify_leader = 1;
    ssize_t n = read(tty, line, sizeof line - 1);
    printf("handling reader, SA_RESTART: read %zd: %s", n, line);
    printf("handling reader, SA_RESTART: handler ran: %s\n", ttins > 0 ? "yes" : "no");
}

static void ignoring_reader(int tty) {
    signal(SIGTTIN, SIG_IGN);
    char c;
    show("ignoring reader: read", read(tty, &c, 1));
}

/* The session leader: the terminal's foreground group, with a background job at a time. */
static void leader(const char *slave_name, int master) {
    setsid();
    int tty = open(slave_name, O_RDWR);
    ioctl(tty, TIOCSCTTY, 0);
    signal(SIGTTOU, SIG_IGN); /* as a shell does, to hand the terminal over */
    int status;

    pid_t job = background(tty, reader);
    waitpid(job, &status, WUNTRACED);
    show_status("background read", status);
    tcsetpgrp(tty, job);
    write(master, "typed\n", 6);
    kill(job, SIGCONT);
    waitpid(job, &status, 0);
    show_status("the reader, in the foreground", status);
    tcsetpgrp(tty, getpgrp());

    struct termios t;
    tcgetattr(tty, &t);
    t.c_lflag |= TOSTOP;
    tcsetattr(tty, TCSANOW, &t);
    job = background(tty, writer);
    waitpid(job, &status, WUNTRACED);
    show_status("background write, TOSTOP", status);
    tcsetpgrp(tty, job);
    kill(job, SIGCONT);
    waitpid(job, &status, 0);
    show_status("the writer, in the foreground", status);
    tcsetpgrp(tty, getpgrp());
    /* The echo and the writer's line, read until both are in: Linux hands the slave's output to the master from a
       workqueue, so one read may find the echo alone (the native run of this test then differed, now and then). */
    char out[16] = {0};
    ssize_t n = 0;
    struct pollfd ready = {master, POLLIN, 0};
    while (n < 12 && poll(&ready, 1, 5000) > 0) {
        ssize_t got = read(master, out + n, sizeof out - 1 - n);
        if (got <= 0) {
            break;
        }
        n += got;
    }
    for (ssize_t i = 0; i < n; i++) {
        if (out[i] == '\r') {
            out[i] = 'R'; /* the output's CR LF, visible */
        }
    }
    printf("the master read %zd: %s", n, out);

    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, NULL);
    job = background(tty, handling_reader);
    int got;
    sigwait(&usr1, &got);
    tcsetpgrp(tty, job);
    write(master, "again\n", 6);
    waitpid(job, &status, 0);
    show_status("the handling reader", status);
    tcsetpgrp(tty, getpgrp());
    read(master, out, sizeof out - 1); /* the echo */

    job = background(tty, ignoring_reader);
    waitpid(job, &status, WUNTRACED);
    show_status("background read, SIGTTIN ignored", status);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) {
        return 1;
    }
    char *name = ptsname(master);
    pid_t pid = fork();
    if (pid == 0) {
        leader(name, master);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    show_status("the session leader", status);
    return 0;
}
