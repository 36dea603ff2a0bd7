/* fork, wait, exit statuses, a pipe between processes, SIGCHLD, vfork + execve with O_CLOEXEC, fork + execve; the
 * program returns its last child's exit status. Compared with its native run by ProcessProgramsIT. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t chld;

static void on_chld(int s) {
    (void) s;
    chld++;
}

static void on_usr1(int s) {
    (void) s;
    static const char message[] = "child: SIGUSR1 handled\n";
    write(1, message, sizeof message - 1);
}

static int child_mode(char **argv) {
    if (strcmp(argv[1], "exec") == 0) {
        printf("exec'd child: argv[2]=%s\n", argv[2]);
        return 5;
    }
    if (strcmp(argv[1], "cloexec") == 0) {
        int closed = fcntl(atoi(argv[2]), F_GETFD) == -1 && errno == EBADF;
        int kept = fcntl(atoi(argv[3]), F_GETFD) >= 0;
        printf("after exec: the O_CLOEXEC fd is %s, the other %s\n", closed ? "closed" : "open", kept ? "open" : "closed");
        return 0;
    }
    return 99;
}

int main(int argc, char **argv) {
    if (argc > 2) {
        return child_mode(argv);
    }
    pid_t self = getpid();
    int status;

    pid_t pid = fork();
    if (pid == 0) {
        printf("child: its parent is the caller %d, its pid another %d\n", getppid() == self, getpid() != self);
        exit(7);
    }
    pid_t got = waitpid(pid, &status, 0);
    printf("waited for the right child %d, exited %d, status %d\n", got == pid, WIFEXITED(status), WEXITSTATUS(status));
    fflush(stdout);

    pid = fork();
    if (pid == 0) {
        kill(getpid(), SIGTERM);
        for (;;) {
            pause();
        }
    }
    waitpid(pid, &status, 0);
    printf("signaled %d, signal %d\n", WIFSIGNALED(status), WTERMSIG(status));
    fflush(stdout);

    int p[2];
    if (pipe(p) != 0) {
        return 90;
    }
    pid = fork();
    if (pid == 0) {
        close(p[0]);
        for (int i = 0; i < 3; i++) {
            dprintf(p[1], "line %d from the child\n", i);
        }
        exit(0);
    }
    close(p[1]);
    char buffer[256];
    size_t total = 0;
    ssize_t n;
    while ((n = read(p[0], buffer + total, sizeof buffer - 1 - total)) > 0) {
        total += (size_t) n;
    }
    buffer[total] = 0;
    close(p[0]);
    waitpid(pid, &status, 0);
    printf("read from the pipe until end of file:\n%s", buffer);
    fflush(stdout);

    struct sigaction sa = {0};
    sa.sa_handler = on_chld;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGCHLD, &sa, NULL);
    pid = fork();
    if (pid == 0) {
        _exit(0);
    }
    waitpid(pid, &status, 0);
    printf("SIGCHLD handled %d time(s)\n", (int) chld);
    fflush(stdout);

    int q[2];
    char c;
    if (pipe(q) != 0) {
        return 91;
    }
    pid = fork();
    if (pid == 0) {
        close(q[1]);
        read(q[0], &c, 1); /* never written: SIGTERM ends the wait */
        _exit(0);
    }
    kill(pid, SIGTERM);
    waitpid(pid, &status, 0);
    printf("a child waiting in read: signaled %d, signal %d\n", WIFSIGNALED(status), WTERMSIG(status));
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        struct sigaction usr1 = {0};
        usr1.sa_handler = on_usr1;
        sigaction(SIGUSR1, &usr1, NULL);
        sigset_t usr1_only, none;
        sigemptyset(&usr1_only);
        sigaddset(&usr1_only, SIGUSR1);
        sigemptyset(&none);
        sigprocmask(SIG_BLOCK, &usr1_only, NULL); /* held until sigsuspend waits, so it cannot come before */
        write(q[1], "r", 1); /* ready */
        sigsuspend(&none);
        _exit(3);
    }
    read(q[0], &c, 1);
    kill(pid, SIGUSR1);
    waitpid(pid, &status, 0);
    printf("a child with a handler: exited %d, status %d\n", WIFEXITED(status), WEXITSTATUS(status));
    fflush(stdout);
    close(q[0]);
    close(q[1]);

    int closing = open("/dev/null", O_RDONLY | O_CLOEXEC);
    int kept = open("/dev/null", O_RDONLY);
    char a[16], b[16];
    snprintf(a, sizeof a, "%d", closing);
    snprintf(b, sizeof b, "%d", kept);
    pid = vfork();
    if (pid == 0) {
        execl(argv[0], argv[0], "cloexec", a, b, (char *) 0);
        _exit(127);
    }
    waitpid(pid, &status, 0);

    pid = fork();
    if (pid == 0) {
        execl(argv[0], argv[0], "exec", "hello", (char *) 0);
        _exit(127);
    }
    waitpid(pid, &status, 0);
    printf("the exec'd child exited with %d\n", WEXITSTATUS(status));
    errno = 0;
    int none = wait(NULL);
    printf("no child left: %d %s\n", none, errno == ECHILD ? "ECHILD" : "?");
    return WEXITSTATUS(status);
}
