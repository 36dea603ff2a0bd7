/* ptrace's events and the tracer's end, and process_vm_readv/writev: PTRACE_O_TRACEFORK (the child traced and
   stopped, its pid the event's message), PTRACE_O_TRACEEXIT (the exit status as the message), waitid's CLD_TRAPPED,
   a tracer's end that detaches its tracee or, under PTRACE_O_EXITKILL, kills it, group-stops as a seized and an
   attached tracee's tracer sees them, and a transfer that stops at an unmapped page. Compared natively in ProcessProgramsIT. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>
#include "show.h"

static volatile long value = 7777;

static pid_t stopped_child(void (*body)(void)) {
    pid_t child = fork();
    if (child == 0) {
        ptrace(PTRACE_TRACEME, 0, NULL, NULL);
        raise(SIGSTOP);
        body();
        _exit(0);
    }
    show_wait("child", child, 0);
    return child;
}

static void forks_and_exits(void) {
    pid_t grandchild = fork();
    if (grandchild == 0) {
        _exit(4);
    }
    int status;
    waitpid(grandchild, &status, 0);
    _exit(WEXITSTATUS(status) + 1);
}

/* PTRACE_O_TRACEFORK and PTRACE_O_TRACEEXIT; waitid's view of a stop */
static void events(void) {
    pid_t child = stopped_child(forks_and_exits);
    show("SETOPTIONS", ptrace(PTRACE_SETOPTIONS, child, NULL,
            (void *) (PTRACE_O_TRACEFORK | PTRACE_O_TRACEEXIT)));
    ptrace(PTRACE_CONT, child, NULL, NULL);
    show_wait("child at its fork", child, 0);
    unsigned long grandchild = 0;
    ptrace(PTRACE_GETEVENTMSG, child, NULL, &grandchild);
    siginfo_t info;
    memset(&info, 0, sizeof info);
    int result = waitid(P_PID, grandchild, &info, WEXITED | WSTOPPED | __WALL);
    printf("waitid of the grandchild: %d, si_code %s, si_status %d, si_pid is it: %d\n", result,
            info.si_code == CLD_TRAPPED ? "CLD_TRAPPED" : "other", info.si_status,
            info.si_pid == (pid_t) grandchild);
    ptrace(PTRACE_CONT, grandchild, NULL, NULL);
    show_wait("grandchild at its exit", grandchild, __WALL);
    unsigned long message = 0;
    ptrace(PTRACE_GETEVENTMSG, grandchild, NULL, &message);
    printf("its exit event's message: %#lx\n", message);
    ptrace(PTRACE_CONT, grandchild, NULL, NULL);
    show_wait("grandchild", grandchild, __WALL);
    ptrace(PTRACE_CONT, child, NULL, NULL);
    show_wait("child at the grandchild's SIGCHLD, ignored but seen by its tracer", child, 0);
    ptrace(PTRACE_CONT, child, NULL, NULL);
    show_wait("child at its exit", child, 0);
    ptrace(PTRACE_GETEVENTMSG, child, NULL, &message);
    printf("its exit event's message: %#lx\n", message);
    ptrace(PTRACE_CONT, child, NULL, NULL);
    show_wait("child", child, 0);
}

static void sleeps(void) {
    for (;;) {
        pause();
    }
}

/* a tracer's end: its tracee goes free, or is killed under PTRACE_O_EXITKILL */
static void tracer_ends(void) {
    for (int kill_it = 0; kill_it < 2; kill_it++) {
        int pipes[2];
        pipe(pipes);
        pid_t tracee = fork();
        if (tracee == 0) {
            char c;
            close(pipes[1]);
            if (read(pipes[0], &c, 1) == 0) {
                printf("tracee: went on after its tracer ended\n");
            }
            _exit(3);
        }
        close(pipes[0]);
        pid_t tracer = fork();
        if (tracer == 0) {
            ptrace(PTRACE_SEIZE, tracee, NULL, (void *) (long) (kill_it ? PTRACE_O_EXITKILL : 0));
            ptrace(PTRACE_INTERRUPT, tracee, NULL, NULL);
            show_wait("tracer: its tracee", tracee, __WALL);
            _exit(0); /* without detaching */
        }
        show_wait(kill_it ? "the tracer under PTRACE_O_EXITKILL" : "the tracer", tracer, 0);
        close(pipes[1]);
        show_wait("the tracee", tracee, 0);
    }
    (void) sleeps;
}

static void siginfo_of(const char *what, pid_t pid) {
    siginfo_t info;
    errno = 0;
    long r = ptrace(PTRACE_GETSIGINFO, pid, NULL, &info);
    printf("%s: GETSIGINFO %ld (%s)\n", what, r, r == 0 ? "a signal-delivery-stop" : errno == EINVAL ? "EINVAL" : "?");
}

/* group-stops: a stop signal passed on by the tracer stops the tracee's process, which its tracer sees; seized, it
   listens until SIGCONT, which re-traps it; attached, PTRACE_CONT goes on from the group-stop */
static void group_stops(void) {
    for (int seize = 1; seize >= 0; seize--) {
        int pipes[2];
        pipe(pipes);
        pid_t child = fork();
        if (child == 0) {
            char c;
            close(pipes[1]);
            while (read(pipes[0], &c, 1) < 0 && errno == EINTR) {
            }
            _exit(2);
        }
        close(pipes[0]);
        if (seize) {
            show("SEIZE", ptrace(PTRACE_SEIZE, child, NULL, NULL));
            kill(child, SIGSTOP);
        } else {
            show("ATTACH", ptrace(PTRACE_ATTACH, child, NULL, NULL));
        }
        show_wait("its SIGSTOP", child, __WALL);
        siginfo_of("its SIGSTOP", child);
        ptrace(PTRACE_CONT, child, NULL, (void *) SIGSTOP);
        show_wait("the group-stop", child, __WALL);
        siginfo_of("the group-stop", child);
        if (seize) {
            show("LISTEN", ptrace(PTRACE_LISTEN, child, NULL, NULL));
            kill(child, SIGCONT);
            show_wait("after SIGCONT", child, __WALL);
            ptrace(PTRACE_CONT, child, NULL, NULL);
            show_wait("SIGCONT", child, __WALL);
            siginfo_of("SIGCONT", child);
        }
        ptrace(PTRACE_CONT, child, NULL, NULL);
        write(pipes[1], "x", 1);
        close(pipes[1]);
        show_wait("the child", child, __WALL);
    }
}

/* process_vm_readv and process_vm_writev, up to an unmapped page */
static void transfers(void) {
    pid_t child = stopped_child(sleeps);
    long got = 0;
    struct iovec local = {&got, sizeof got};
    struct iovec remote = {(void *) &value, sizeof value};
    ssize_t read = process_vm_readv(child, &local, 1, &remote, 1, 0);
    printf("process_vm_readv: %zd, %ld\n", read, got);
    got = 8888;
    printf("process_vm_writev: %zd\n", process_vm_writev(child, &local, 1, &remote, 1, 0));
    got = 0;
    process_vm_readv(child, &local, 1, &remote, 1, 0);
    printf("read back: %ld\n", got);
    char *pages = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(pages, 'x', 8192);
    munmap(pages + 4096, 4096); /* the child forked before: read our own memory across the hole instead */
    char buffer[64];
    struct iovec into = {buffer, sizeof buffer};
    struct iovec across = {pages + 4096 - 16, 64};
    errno = 0;
    ssize_t n = process_vm_readv(getpid(), &into, 1, &across, 1, 0);
    printf("a read across an unmapped page: %zd\n", n);
    struct iovec hole = {pages + 4096, 16};
    errno = 0;
    n = process_vm_readv(getpid(), &into, 1, &hole, 1, 0);
    printf("a read of it alone: %zd (%s)\n", n, errno == EFAULT ? "EFAULT" : "other");
    errno = 0;
    n = process_vm_readv(999999, &into, 1, &hole, 1, 0);
    printf("of no process: %zd (%s)\n", n, errno == ESRCH ? "ESRCH" : "other");
    kill(child, SIGKILL);
    show_wait("child", child, 0);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    events();
    tracer_ends();
    group_stops();
    transfers();
    return 0;
}
