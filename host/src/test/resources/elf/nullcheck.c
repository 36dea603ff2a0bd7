/*
 * A JVM's implicit null check: compiled code loads through a pointer without testing it, and the SIGSEGV handler
 * finds the faulting instruction by the context's RIP and resumes past it. Here the load sits second in a block
 * that a branch's block is chained to, after many passes: Unicorn runs a chained block without storing RIP, so the
 * fault's RIP had to be found past the branch (a JVM under hdbg took such a fault for a crash).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

extern char load_here[];
static volatile long faults;
static long seen_rip, seen_addr;

static void on_segv(int sig, siginfo_t *info, void *context) {
    ucontext_t *uc = context;
    seen_rip = uc->uc_mcontext.gregs[REG_RIP];
    seen_addr = (long) info->si_addr;
    faults++;
    uc->uc_mcontext.gregs[REG_RIP] += 3; /* past the 3-byte load */
    uc->uc_mcontext.gregs[REG_RAX] = 42; /* what the handler makes the load return: the loop's end */
}

/* walk(p, n): loads at p, p + 256, ... through a branch whose block is chained to the load's; 42 ends it */
long walk(char *p, long n);
__asm__(".globl walk\nwalk:\n"
        "  xor %eax, %eax\n"
        "1: dec %rsi\n"
        "  jne 2f\n"
        "  ret\n"
        "2: lea 8(%rdi), %rdx\n"
        ".globl load_here\nload_here:\n"
        "  mov (%rdi), %rax\n"
        "  add $256, %rdi\n"
        "  cmp $42, %rax\n"
        "  jne 1b\n"
        "  ret\n");

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, 0);
    char *page = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(page + 4096, 4096);
    for (int round = 0; round < 3; round++) {
        long r = walk(page, 100);
        printf("round %d: returned %ld, faults %ld, RIP at the load: %s, si_addr the page after: %s\n", round, r,
               faults, seen_rip == (long) load_here ? "yes" : "no", seen_addr == (long) page + 4096 ? "yes" : "no");
    }
    return 0;
}
