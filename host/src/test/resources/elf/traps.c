/* The CPU's traps as signals, as anti-debugging checks use them: INT3 (both encodings), a single step (RFLAGS.TF set
   with popf) and ICEBP (0xf1) each send SIGTRAP to the program's handler with Linux's si_code (SI_KERNEL, TRAP_TRACE,
   TRAP_BRKPT) and the handler sees RIP past the instruction; UD2 sends SIGILL at it. A debugger that swallowed any of
   them would be detected. First, the FPU and SSE control words a program starts with. Compared natively in
   SignalProgramsIT. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

static volatile sig_atomic_t traps, ills;
static volatile long trap_code;

static void on_trap(int s, siginfo_t *info, void *context) {
    ucontext_t *uc = context;
    (void)s;
    traps++;
    trap_code = info->si_code;
    uc->uc_mcontext.gregs[REG_EFL] &= ~0x100L; /* the single step ends here */
}

static void on_ill(int s, siginfo_t *info, void *context) {
    ucontext_t *uc = context;
    (void)s;
    ills++;
    trap_code = info->si_code;
    uc->uc_mcontext.gregs[REG_RIP] += 2; /* past the ud2 */
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    unsigned int mxcsr;
    unsigned short fpcw;
    __asm__ volatile("stmxcsr %0\n\tfnstcw %1" : "=m"(mxcsr), "=m"(fpcw));
    printf("MXCSR %#x, x87 control word %#x, as Linux starts a program\n", mxcsr, fpcw); /* MXCSR was 0 */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_flags = SA_SIGINFO;
    sa.sa_sigaction = on_trap;
    sigaction(SIGTRAP, &sa, NULL);
    sa.sa_sigaction = on_ill;
    sigaction(SIGILL, &sa, NULL);

    __asm__ volatile("int3");
    printf("int3: %d trap(s), si_code %ld\n", traps, trap_code);
    __asm__ volatile(".byte 0xcd, 0x03"); /* int 3 */
    printf("int 3: %d trap(s), si_code %ld\n", traps, trap_code);
    __asm__ volatile("pushf; orq $0x100, (%%rsp); popf; nop; nop" ::: "memory", "cc");
    printf("single step: %d trap(s), si_code %ld\n", traps, trap_code);
    __asm__ volatile(".byte 0xf1"); /* icebp */
    printf("icebp: %d trap(s), si_code %ld\n", traps, trap_code);
    __asm__ volatile("ud2");
    printf("ud2: %d SIGILL, si_code %ld\n", ills, trap_code);
    return 0;
}
