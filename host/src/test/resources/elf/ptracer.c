/* ptrace's tracer side between a program's own processes, as debuggers, strace, packers (nanomites) and
   anti-debugging code use it: stops for signals, int3 and single steps, registers and memory of a stopped tracee,
   signals passed on, replaced and suppressed, syscall-stops (a result changed, a call skipped), an exec's stop,
   PTRACE_ATTACH and PTRACE_SEIZE, a child attaching to its parent, the FPU and SSE registers, and the errors;
   /proc/PID/mem of a tracee and the program's own code patched through /proc/self/mem; and personality, which gdb
   calls before it runs a program. Compared natively in
   ProcessProgramsIT. With an argument "exec", it prints a line and exits 7 (the program a tracee execs). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>
#include <elf.h>
#include "show.h"

static volatile long secret = 1111;

static pid_t traced_child(void (*body)(void)) {
    pid_t child = fork();
    if (child == 0) {
        ptrace(PTRACE_TRACEME, 0, NULL, NULL);
        raise(SIGSTOP);
        body();
        _exit(0);
    }
    show_wait("traceme child", child, __WALL);
    return child;
}

static void print_secret(void) {
    printf("child: secret is %ld\n", secret);
}

/* memory: PEEKDATA, POKEDATA; registers: GETREGS */
static void memory_and_registers(void) {
    secret = 2222;
    pid_t child = traced_child(print_secret);
    errno = 0;
    long word = ptrace(PTRACE_PEEKDATA, child, &secret, NULL);
    printf("PEEKDATA of the child's secret: %ld (errno %d)\n", word, errno);
    show("POKEDATA 3333", ptrace(PTRACE_POKEDATA, child, &secret, (void *) 3333));
    errno = 0;
    ptrace(PTRACE_PEEKDATA, child, (void *) 8, NULL);
    printf("PEEKDATA of address 8: errno %s\n", errno == EIO ? "EIO" : errno == EFAULT ? "EFAULT" : "other");
    struct user_regs_struct regs;
    show("GETREGS", ptrace(PTRACE_GETREGS, child, NULL, &regs));
    printf("orig_rax at the stop in kill: %s\n", regs.orig_rax == SYS_tgkill || regs.orig_rax == SYS_kill
            || regs.orig_rax == SYS_tkill ? "a kill" : "other");
    errno = 0;
    long rip = ptrace(PTRACE_PEEKUSER, child, offsetof(struct user_regs_struct, rip), NULL);
    printf("PEEKUSER rip is GETREGS' rip: %d\n", rip == (long) regs.rip);
    struct iovec iov = {&regs, sizeof regs};
    show("GETREGSET NT_PRSTATUS", ptrace(PTRACE_GETREGSET, child, NT_PRSTATUS, &iov));
    printf("iov_len: %zu\n", iov.iov_len);
    long cont = ptrace(PTRACE_CONT, child, NULL, NULL); /* shown once the child is done: it prints meanwhile */
    show_wait("memory child", child, __WALL);
    show("CONT", cont);
    secret = 1111;
}

/* nanomites: the child's int3 stops it; the tracer reads and sets its registers, and it goes on */
static void nanomite(void) {
    long out;
    __asm__ volatile("mov $41, %%rax\n\tint3\n\tnop\n\t.globl after_int3\nafter_int3:\n\t" : "=a"(out) : : "memory");
    printf("child: rax after the int3 is %ld\n", out);
}

extern char after_int3[];

/* the FPU and SSE state: the child's xmm0 read and written by its tracer */
static void sse(void) {
    unsigned long long lanes[2] = {0x1122334455667788ULL, 0x99aabbccddeeff00ULL};
    unsigned long long out[2];
    __asm__ volatile("movdqu %1, %%xmm0\n\tint3\n\tmovdqu %%xmm0, %0" : "=m"(out) : "m"(lanes) : "xmm0", "memory");
    printf("child: xmm0 after the int3 is %016llx %016llx\n", out[1], out[0]);
}

static void fpu_registers(void) {
    pid_t child = traced_child(sse);
    ptrace(PTRACE_CONT, child, NULL, NULL);
    show_wait("sse child at its int3", child, __WALL);
    struct user_fpregs_struct fp;
    show("GETFPREGS", ptrace(PTRACE_GETFPREGS, child, NULL, &fp));
    printf("xmm0 %08x%08x %08x%08x, mxcsr %#x\n", fp.xmm_space[3], fp.xmm_space[2], fp.xmm_space[1],
            fp.xmm_space[0], fp.mxcsr);
    fp.xmm_space[0] = 0xfeedface;
    struct iovec iov = {&fp, sizeof fp};
    show("SETREGSET NT_PRFPREG", ptrace(PTRACE_SETREGSET, child, NT_PRFPREG, &iov));
    errno = 0;
    long cs = ptrace(PTRACE_PEEKUSER, child, offsetof(struct user_regs_struct, cs), NULL);
    printf("cs %#lx (a 64-bit process's)\n", cs);
    long cont = ptrace(PTRACE_CONT, child, NULL, NULL);
    show_wait("sse child", child, __WALL);
    show("CONT", cont);
}

static void nanomites(void) {
    pid_t child = traced_child(nanomite);
    show("CONT", ptrace(PTRACE_CONT, child, NULL, NULL));
    show_wait("nanomite child at its int3", child, __WALL);
    struct user_regs_struct regs;
    ptrace(PTRACE_GETREGS, child, NULL, &regs);
    printf("rip is after the int3: %d, rax %lld\n", regs.rip + 1 == (unsigned long) after_int3, regs.rax);
    siginfo_t info;
    show("GETSIGINFO", ptrace(PTRACE_GETSIGINFO, child, NULL, &info));
    printf("si_signo %d si_code %d\n", info.si_signo, info.si_code);
    regs.rax = 42;
    show("SETREGS", ptrace(PTRACE_SETREGS, child, NULL, &regs));
    long cont = ptrace(PTRACE_CONT, child, NULL, NULL);
    show_wait("nanomite child", child, __WALL);
    show("CONT suppressing SIGTRAP", cont);
}

static volatile sig_atomic_t handled;

static void on_signal(int s) {
    handled = s;
}

static void signal_replaced(void) {
    signal(SIGUSR1, on_signal);
    signal(SIGUSR2, on_signal);
    kill(getpid(), SIGUSR1);
    printf("child: handled signal %d\n", handled);
    kill(getpid(), SIGUSR1);
    printf("child: after the suppressed one, handled %d\n", handled);
}

/* a signal-delivery-stop: the tracer replaces the signal, then suppresses one */
static void signals(void) {
    pid_t child = traced_child(signal_replaced);
    show("CONT", ptrace(PTRACE_CONT, child, NULL, NULL));
    show_wait("signal child", child, __WALL);
    long cont = ptrace(PTRACE_CONT, child, NULL, (void *) SIGUSR2);
    show_wait("signal child", child, __WALL);
    show("CONT with SIGUSR2 in its place", cont);
    cont = ptrace(PTRACE_CONT, child, NULL, NULL);
    show_wait("signal child", child, __WALL);
    show("CONT with none", cont);
}

static void calls(void) {
    printf("child: getppid says %ld\n", (long) syscall(SYS_getppid));
    long written = syscall(SYS_write, 1, "skipped\n", 8);
    printf("child: the skipped write returned %ld\n", written);
}

/* syscall-stops: entry and exit alternate; a result changed at the exit, a call skipped at the entry */
static void syscalls(void) {
    pid_t child = traced_child(calls);
    ptrace(PTRACE_SETOPTIONS, child, NULL, (void *) PTRACE_O_TRACESYSGOOD);
    int status;
    int entering = 1;
    int changed = 0;
    int skipped = 0;
    int stops = 0;
    for (;;) {
        ptrace(PTRACE_SYSCALL, child, NULL, NULL);
        waitpid(child, &status, 0);
        if (!WIFSTOPPED(status)) {
            break;
        }
        if (WSTOPSIG(status) != (SIGTRAP | 0x80)) {
            printf("syscall child: a stop for signal %d\n", WSTOPSIG(status));
            continue;
        }
        stops++;
        struct user_regs_struct regs;
        ptrace(PTRACE_GETREGS, child, NULL, &regs);
        if (entering && regs.orig_rax == SYS_write && regs.rdx == 8 && !skipped) {
            printf("at write's entry rax is -ENOSYS: %d\n", (long) regs.rax == -ENOSYS);
            regs.orig_rax = -1;
            ptrace(PTRACE_SETREGS, child, NULL, &regs);
            skipped = 1;
        } else if (!entering && regs.orig_rax == SYS_getppid && !changed) {
            regs.rax = 12345;
            ptrace(PTRACE_SETREGS, child, NULL, &regs);
            changed = 1;
        }
        entering = !entering;
    }
    printf("syscall child: %s, syscall-stops odd (exit_group has no exit-stop): %d, changed %d, skipped %d\n",
            WIFEXITED(status) ? "exited" : "killed", stops % 2, changed, skipped);
}

static void step_me(void) {
    __asm__ volatile("nop\n\tnop\n\tnop\n\tnop\n\t");
}

/* single steps: each stops with SIGTRAP one instruction on */
static void single_steps(void) {
    pid_t child = traced_child(step_me);
    struct user_regs_struct before, after;
    ptrace(PTRACE_GETREGS, child, NULL, &before);
    int traps = 0;
    for (int i = 0; i < 5; i++) {
        int status;
        ptrace(PTRACE_SINGLESTEP, child, NULL, NULL);
        waitpid(child, &status, 0);
        traps += WIFSTOPPED(status) && WSTOPSIG(status) == SIGTRAP;
    }
    ptrace(PTRACE_GETREGS, child, NULL, &after);
    printf("5 single steps: %d SIGTRAP stops, rip moved: %d, TF clear: %d\n", traps, after.rip != before.rip,
            (after.eflags & 0x100) == 0);
    ptrace(PTRACE_CONT, child, NULL, NULL);
    show_wait("stepped child", child, __WALL);
}

/* exec: SIGTRAP after it, or PTRACE_EVENT_EXEC under PTRACE_O_TRACEEXEC */
static void execs(const char *self) {
    for (int option = 0; option < 2; option++) {
        pid_t child = fork();
        if (child == 0) {
            ptrace(PTRACE_TRACEME, 0, NULL, NULL);
            raise(SIGSTOP);
            execl(self, self, "exec", (char *) NULL);
            _exit(99);
        }
        show_wait("exec child", child, __WALL);
        if (option) {
            ptrace(PTRACE_SETOPTIONS, child, NULL, (void *) PTRACE_O_TRACEEXEC);
        }
        ptrace(PTRACE_CONT, child, NULL, NULL);
        show_wait(option ? "exec child under PTRACE_O_TRACEEXEC" : "exec child", child, __WALL);
        if (option) {
            unsigned long message = 0;
            ptrace(PTRACE_GETEVENTMSG, child, NULL, &message);
            printf("event message is the child's pid: %d\n", message == (unsigned long) child);
        }
        ptrace(PTRACE_CONT, child, NULL, NULL);
        show_wait("exec child", child, __WALL);
    }
}

/* PTRACE_ATTACH to a sleeping child, PTRACE_SEIZE and PTRACE_INTERRUPT, the errors */
static void attaches(void) {
    int pipes[2];
    pipe(pipes);
    pid_t child = fork();
    if (child == 0) {
        char c;
        read(pipes[0], &c, 1); /* sleeps until the tracer detaches and writes */
        printf("child: went on after the detach, secret %ld\n", secret);
        _exit(5);
    }
    show("ATTACH", ptrace(PTRACE_ATTACH, child, NULL, NULL));
    show("ATTACH again", ptrace(PTRACE_ATTACH, child, NULL, NULL));
    show_wait("attached child", child, __WALL);
    show("POKEDATA 4444", ptrace(PTRACE_POKEDATA, child, &secret, (void *) 4444));
    show("DETACH", ptrace(PTRACE_DETACH, child, NULL, NULL));
    show("CONT after the detach", ptrace(PTRACE_CONT, child, NULL, NULL));
    write(pipes[1], "x", 1);
    show_wait("detached child", child, __WALL);

    child = fork();
    if (child == 0) {
        char c;
        read(pipes[0], &c, 1);
        _exit(6);
    }
    show("SEIZE", ptrace(PTRACE_SEIZE, child, NULL, (void *) PTRACE_O_TRACESYSGOOD));
    show("INTERRUPT", ptrace(PTRACE_INTERRUPT, child, NULL, NULL));
    show_wait("seized child", child, __WALL);
    show("CONT", ptrace(PTRACE_CONT, child, NULL, NULL));
    write(pipes[1], "x", 1);
    show_wait("seized child", child, __WALL);

    show("ATTACH to itself", ptrace(PTRACE_ATTACH, getpid(), NULL, NULL));
    show("ATTACH to no process", ptrace(PTRACE_ATTACH, 999999, NULL, NULL));
    show("an unknown request of no tracee", ptrace((enum __ptrace_request) 0x4999, 999999, NULL, NULL));
}

__attribute__((noipa)) static int answer(void) {
    return 1;
}

/* /proc/PID/mem: a stopped tracee's memory read there; the program's own code patched through /proc/self/mem */
static void proc_mem(void) {
    secret = 5555;
    pid_t child = traced_child(print_secret);
    secret = 1111;
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/mem", child);
    int fd = open(path, O_RDWR);
    long word = 0;
    ssize_t n = pread(fd, &word, sizeof word, (off_t) &secret);
    printf("pread of the child's secret: %zd, %ld\n", n, word);
    word = 6666;
    printf("pwrite of it: %zd\n", pwrite(fd, &word, sizeof word, (off_t) &secret));
    errno = 0;
    n = pread(fd, &word, sizeof word, 8);
    printf("pread of address 8: %zd (%s)\n", n, errno == EIO ? "EIO" : "other");
    close(fd);
    long cont = ptrace(PTRACE_CONT, child, NULL, NULL);
    show_wait("mem child", child, __WALL);
    show("CONT", cont);

    printf("answer() is %d\n", answer());
    static const unsigned char returns_2[] = {0xb8, 0x02, 0x00, 0x00, 0x00, 0xc3}; /* mov eax, 2; ret */
    fd = open("/proc/self/mem", O_RDWR);
    printf("pwrite of answer's read-only code: %zd\n", pwrite(fd, returns_2, sizeof returns_2, (off_t) answer));
    close(fd);
    printf("answer() is %d\n", answer());
}

/* anti-debugging: a child attaches to its parent, which succeeds where no debugger traces the parent */
static void child_attaches_parent(void) {
    pid_t parent = getpid();
    pid_t child = fork();
    if (child == 0) {
        long attached = ptrace(PTRACE_ATTACH, parent, NULL, NULL);
        int status = 0;
        if (attached == 0) {
            waitpid(parent, &status, __WALL);
        }
        printf("child: attached to its parent: %ld, it stopped with signal %d\n", attached,
                WIFSTOPPED(status) ? WSTOPSIG(status) : -1);
        errno = 0;
        long word = ptrace(PTRACE_PEEKDATA, parent, &secret, NULL);
        printf("child: the parent's secret is %ld\n", word);
        show("child: DETACH", ptrace(PTRACE_DETACH, parent, NULL, NULL));
        _exit(0);
    }
    show_wait("the attaching child", child, __WALL);
    printf("parent: went on\n");
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1) {
        printf("exec'd program: runs\n");
        return 7;
    }
    printf("personality %#x\n", personality(0xffffffff));
    int before = personality(ADDR_NO_RANDOMIZE);
    printf("personality(ADDR_NO_RANDOMIZE) returned %#x, now %#x\n", before, personality(0xffffffff));
    personality(PER_LINUX);
    memory_and_registers();
    nanomites();
    fpu_registers();
    signals();
    syscalls();
    single_steps();
    execs(argv[0]);
    attaches();
    proc_mem();
    child_attaches_parent();
    return 0;
}
