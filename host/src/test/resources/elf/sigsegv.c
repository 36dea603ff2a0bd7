#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* A SIGSEGV handler on an alternate stack that recovers with siglongjmp: from a NULL read, a write to a read-only
 * page and a read of an unmapped page; si_code and si_addr as Linux reports them. */
static sigjmp_buf recover;
static volatile uintptr_t fault_address;
static volatile int fault_code, on_alt_stack;
static char alt_stack[64 * 1024];

static void on_segv(int signal, siginfo_t *info, void *context) {
    (void) signal;
    (void) context;
    int here;
    fault_address = (uintptr_t) info->si_addr;
    fault_code = info->si_code;
    on_alt_stack = (char *) &here >= alt_stack && (char *) &here < alt_stack + sizeof alt_stack;
    siglongjmp(recover, 1);
}

static void try(const char *what, void (*action)(void *), void *argument, uintptr_t expected) {
    if (sigsetjmp(recover, 1) == 0) {
        action(argument);
        printf("%s: no fault\n", what);
    } else {
        printf("%s: SIGSEGV, code %s, address %s, on the alternate stack %d\n", what,
               fault_code == SEGV_MAPERR ? "SEGV_MAPERR" : fault_code == SEGV_ACCERR ? "SEGV_ACCERR" : "other",
               fault_address == expected ? "as expected" : "wrong", on_alt_stack);
    }
}

static void read_from(void *p) { printf("%d\n", *(volatile int *) p); }
static void write_to(void *p) { *(volatile int *) p = 1; }

int main(void) {
    stack_t stack = {.ss_sp = alt_stack, .ss_size = sizeof alt_stack, .ss_flags = 0};
    sigaltstack(&stack, NULL);
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_segv;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    sigaction(SIGSEGV, &action, NULL);

    try("NULL read", read_from, NULL, 0);
    char *page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    try("read-only write", write_to, page + 8, (uintptr_t) (page + 8));
    munmap(page, 4096);
    try("unmapped read", read_from, page + 16, (uintptr_t) (page + 16));
    sigset_t mask;
    sigprocmask(SIG_BLOCK, NULL, &mask);
    printf("SIGSEGV blocked after siglongjmp: %d\n", sigismember(&mask, SIGSEGV));
    return 0;
}
