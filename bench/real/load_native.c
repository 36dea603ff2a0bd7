/* bench/real/load_loop.c's loop as a static program, for qemu-x86_64 (bench/real/load_compare.sh).
 *
 *   load_native N   -> runs the loop N times, prints nothing */
#include <stdlib.h>

static unsigned char page[4096] __attribute__((aligned(4096)));

int main(int argc, char **argv) {
    long n = atol(argv[1]);
    if (n <= 0) {
        return 0;
    }
    __asm__ volatile("xor %%eax, %%eax\n"
                     "1:\n"
                     "movzbl (%%rdi,%%rax), %%edx\n add %%rdx, %%r8\n"
                     "movzbl 1(%%rdi,%%rax), %%edx\n add %%rdx, %%r8\n"
                     "movzwl 2(%%rdi,%%rax), %%edx\n add %%rdx, %%r8\n"
                     "movl 4(%%rdi,%%rax), %%edx\n add %%rdx, %%r8\n"
                     "inc %%rax\n and $0xff0, %%rax\n dec %%rcx\n jnz 1b\n"
                     : "+c"(n)
                     : "D"(page)
                     : "rax", "rdx", "r8", "memory", "cc");
    return 0;
}
