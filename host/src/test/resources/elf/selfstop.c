/* The program started stops itself (job control): raise(SIGSTOP), then kill(getpid(), SIGTSTP). Natively its shell
   shows "Stopped" and fg continues it with SIGCONT, whose handler runs first; under hdbg the debugger is the parent
   that sees the stop (SignalProgramsIT). */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static volatile sig_atomic_t conted;

static void on_cont(int s) {
    (void)s;
    conted++;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGCONT, on_cont);
    printf("stopping\n");
    raise(SIGSTOP);
    printf("continued, SIGCONT handled %d time(s)\n", conted);
    kill(getpid(), SIGTSTP);
    printf("continued again, SIGCONT handled %d time(s)\n", conted);
    return 0;
}
