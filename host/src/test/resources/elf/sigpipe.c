#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* A write to a pipe whose reader is gone: EPIPE while SIGPIPE is ignored, then the default action ends the program. */
int main(void) {
    int fds[2];
    if (pipe(fds) != 0) {
        perror("pipe");
        return 1;
    }
    close(fds[0]);
    signal(SIGPIPE, SIG_IGN);
    ssize_t n = write(fds[1], "x", 1);
    printf("ignored: write returned %zd, %s\n", n, strerror(errno));
    sigset_t pending;
    sigpending(&pending);
    printf("pending SIGPIPE: %d\n", sigismember(&pending, SIGPIPE));
    signal(SIGPIPE, SIG_DFL);
    printf("default: writing again\n");
    fflush(stdout);
    write(fds[1], "y", 1);
    printf("not reached\n");
    return 0;
}
