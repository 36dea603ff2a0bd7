#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

/* An invalid opcode (ud2, two bytes) with a SIGILL handler: natively the handler runs; an hdbg event that swallows
 * the #UD and steps over the instruction (sc on) lets the program go on as if it were not there. */
static sigjmp_buf recover;

static void on_sigill(int signal, siginfo_t *info, void *context) {
    (void) context;
    printf("SIGILL %d, code ILL_ILLOPN %d\n", signal, info->si_code == ILL_ILLOPN);
    siglongjmp(recover, 1);
}

int main(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_sigill;
    action.sa_flags = SA_SIGINFO;
    sigaction(SIGILL, &action, NULL);
    if (sigsetjmp(recover, 1) == 0) {
        __asm__ volatile("ud2");
        printf("went past ud2\n");
    }
    printf("done\n");
    return 0;
}
