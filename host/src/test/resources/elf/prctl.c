/* prctl's process controls: dumpable, no_new_privs (inherited, never cleared), the capability bounding set, the secure
   bits, the timer slack, the parent-death signal (not inherited by a fork; sent when the parent ends) and the child
   subreaper (which adopts a grandchild whose parent ended). Compared natively in ProcessProgramsIT. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "show.h"

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    show("get dumpable", prctl(PR_GET_DUMPABLE));
    show("set dumpable 0", prctl(PR_SET_DUMPABLE, 0));
    show("get dumpable", prctl(PR_GET_DUMPABLE));
    show("set dumpable 2", prctl(PR_SET_DUMPABLE, 2));
    show("set dumpable 1", prctl(PR_SET_DUMPABLE, 1));
    show("get no_new_privs", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
    show("set no_new_privs", prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
    show("clear no_new_privs", prctl(PR_SET_NO_NEW_PRIVS, 0, 0, 0, 0));
    show("get no_new_privs", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
    show("capbset_read CAP_CHOWN", prctl(PR_CAPBSET_READ, 0));
    show("capbset_read 999", prctl(PR_CAPBSET_READ, 999));
    show("get securebits", prctl(PR_GET_SECUREBITS));
    show("get timerslack", prctl(PR_GET_TIMERSLACK));
    show("set pdeathsig 99", prctl(PR_SET_PDEATHSIG, 99));
    show("set pdeathsig SIGTERM", prctl(PR_SET_PDEATHSIG, SIGTERM));
    int sig = -1;
    show("get pdeathsig", prctl(PR_GET_PDEATHSIG, &sig));
    printf("pdeathsig: %d\n", sig);
    show("set child subreaper", prctl(PR_SET_CHILD_SUBREAPER, 1));
    int reaper = -1;
    show("get child subreaper", prctl(PR_GET_CHILD_SUBREAPER, &reaper));
    printf("subreaper: %d\n", reaper);

    pid_t top = getpid();
    int ready[2];
    if (pipe(ready) != 0) {
        return 1;
    }
    pid_t child = fork();
    if (child == 0) {
        int inherited = -1;
        prctl(PR_GET_PDEATHSIG, &inherited);
        printf("child: pdeathsig %d, no_new_privs %d\n", inherited, prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
        pid_t parent = getpid();
        pid_t grandchild = fork();
        if (grandchild == 0) {
            sigset_t usr1;
            sigemptyset(&usr1);
            sigaddset(&usr1, SIGUSR1);
            sigprocmask(SIG_BLOCK, &usr1, NULL);
            prctl(PR_SET_PDEATHSIG, SIGUSR1);
            printf("grandchild: parent is the child: %d\n", getppid() == parent);
            char byte = 1;
            if (write(ready[1], &byte, 1) != 1) {
                _exit(1);
            }
            siginfo_t info;
            int got = sigwaitinfo(&usr1, &info);
            printf("grandchild: got %s from %s, parent now the subreaper: %d\n", got == SIGUSR1 ? "SIGUSR1" : "?",
                   info.si_pid == parent ? "its parent" : "?", getppid() == top);
            _exit(0);
        }
        char byte;
        if (read(ready[0], &byte, 1) != 1) {
            _exit(1);
        }
        _exit(0); /* the grandchild's parent ends: SIGUSR1 to it, and the subreaper adopts it */
    }
    int status;
    int waited = waitpid(child, &status, 0) == child; /* printed after the grandchild's lines, which end before */
    pid_t reaped = wait(&status);
    printf("waited for the child: %d\n", waited);
    printf("reaped the grandchild: %d, status %d\n", reaped > 0 && reaped != child, WEXITSTATUS(status));
    prctl(PR_SET_PDEATHSIG, 0);
    return 0;
}
