/* jit: code written at run time, four ways, each checked against a native run (ElfProgramsIT):
 * written while read-write then made read-exec (a JIT's way), rewritten in a read-write-exec page between calls,
 * rewriting its own next call's immediate, and rewriting the instruction after the store in the same block;
 * then a read-write page given EXEC after stores had filled it. */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

typedef int (*fn)(int);

/* mov eax, v ; ret */
static void emit(unsigned char *p, int v) {
    p[0] = 0xb8;
    memcpy(p + 1, &v, 4);
    p[5] = 0xc3;
}

int main(void) {
    unsigned char *jit = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    unsigned char *rwx = mmap(0, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    unsigned char *late = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (jit == MAP_FAILED || rwx == MAP_FAILED || late == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    long sum = 0;
    for (int i = 0; i < 100; i++) {
        mprotect(jit, 4096, PROT_READ | PROT_WRITE);
        emit(jit, i);
        mprotect(jit, 4096, PROT_READ | PROT_EXEC);
        sum += ((fn) jit)(0);
    }
    printf("rw then rx: %ld\n", sum);

    sum = 0;
    for (int i = 0; i < 100; i++) {
        emit(rwx, 3 * i);
        sum += ((fn) rwx)(0);
    }
    printf("rwx rewritten between calls: %ld\n", sum);

    /* mov eax, imm32 ; mov [rip - 11], dil (the immediate's low byte) ; ret */
    static const unsigned char next_call[] = {0xb8, 0, 0, 0, 0, 0x40, 0x88, 0x3d, 0xf5, 0xff, 0xff, 0xff, 0xc3};
    memcpy(rwx + 64, next_call, sizeof next_call);
    sum = 0;
    for (int i = 1; i <= 300; i++) {
        sum += ((fn) (rwx + 64))(i);
    }
    printf("rewrites its next call: %ld\n", sum);

    /* mov [rip + 1], dil (the next instruction's immediate) ; mov eax, imm32 ; ret */
    static const unsigned char same_block[] = {0x40, 0x88, 0x3d, 0x01, 0, 0, 0, 0xb8, 0, 0, 0, 0, 0xc3};
    memcpy(rwx + 128, same_block, sizeof same_block);
    sum = 0;
    for (int i = 1; i <= 300; i++) {
        sum += ((fn) (rwx + 128))(i);
    }
    printf("rewrites its own block: %ld\n", sum);

    sum = 0;
    emit(late, 7);
    mprotect(late, 4096, PROT_READ | PROT_WRITE | PROT_EXEC);
    sum += ((fn) late)(0);
    emit(late, 11);
    sum += ((fn) late)(0);
    printf("given exec after stores: %ld\n", sum);
    return 0;
}
