#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

/* A SIGSEGV handler that makes the page accessible and returns, so the faulting instruction runs again (as lazy
 * allocation and write barriers do): the instructions before it in its block must not run twice, the handler must
 * see RIP at the faulting instruction, and the flags set before it must survive. */
static char *page;
static volatile long fault_rip[2];
static volatile int faults;
extern char store_here[], load_here[];

static void on_segv(int signal, siginfo_t *info, void *context) {
    (void) signal; (void) info;
    ucontext_t *uc = context;
    fault_rip[faults++ & 1] = uc->uc_mcontext.gregs[REG_RIP];
    mprotect(page, 4096, PROT_READ | PROT_WRITE);
}

int main(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_segv;
    action.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &action, NULL);
    page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    long counter = 0, loaded = 0;
    __asm__ volatile("add $1, %0\n\t"
                     "add $1, %0\n\t"
                     "store_here: movq %0, (%1)\n\t"
                     "add $1, %0\n\t"
                     : "+r"(counter) : "r"(page) : "memory");
    mprotect(page, 4096, PROT_NONE);
    __asm__ volatile("add $5, %0\n\t"
                     "load_here: add (%1), %0\n\t"
                     "add $5, %0\n\t"
                     : "+r"(loaded) : "r"(page) : "memory");
    printf("faults %d\n", faults);
    printf("store: counter %ld, stored %ld, rip %s\n", counter, *(long *) page,
           fault_rip[0] == (long) store_here ? "at the store" : "elsewhere");
    printf("load: value %ld, rip %s\n", loaded, fault_rip[1] == (long) load_here ? "at the load" : "elsewhere");
    /* The flags a comparison before the faulting store set must reach the branch after it: Unicorn leaves them out
     * of RFLAGS at such a fault (docs/targets.md). */
    long less = 0;
    mprotect(page, 4096, PROT_READ);
    __asm__ volatile("mov $5, %%eax\n\t"
                     "cmp $7, %%rax\n\t"
                     "movq %%rax, (%1)\n\t"
                     "jl 1f\n\t"
                     "movq $0, %0\n\t"
                     "jmp 2f\n\t"
                     "1: movq $1, %0\n\t"
                     "2:\n\t"
                     : "=r"(less) : "r"(page) : "rax", "memory", "cc");
    printf("compare before a fault: %s\n", less ? "less, as compared" : "the wrong branch");
    return 0;
}
