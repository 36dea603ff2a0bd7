// Code and read-only data that a fork shares until one process writes there (docs/targets.md, "Processes"): a child
// makes a page of its code and one of its constants writable and patches them; the parent, and a child forked after,
// still run and read the originals, and the patched child runs its patch.
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static const char greeting[4096] __attribute__((aligned(4096))) = "hello";

__attribute__((noipa)) int answer(void) {
    return 1;
}

static void writable(const void *at, size_t length) {
    uintptr_t page = (uintptr_t) at & ~(uintptr_t) 4095;
    size_t span = ((uintptr_t) at + length - page + 4095) & ~(uintptr_t) 4095;
    if (mprotect((void *) page, span, PROT_READ | PROT_WRITE | PROT_EXEC) != 0) {
        perror("mprotect");
        _exit(9);
    }
}

static void report(const char *who) {
    printf("%s: answer %d, greeting %s\n", who, answer(), greeting);
    fflush(stdout);
}

int main(void) {
    report("parent");
    pid_t child = fork();
    if (child == 0) {
        static const unsigned char two[] = {0xb8, 2, 0, 0, 0, 0xc3}; // mov eax, 2 ; ret
        writable((const void *) answer, sizeof two);
        memcpy((void *) answer, two, sizeof two);
        writable(greeting, 6);
        memcpy((void *) greeting, "bye!!", 6);
        report("patched child");
        _exit(0);
    }
    waitpid(child, NULL, 0);
    report("parent after");
    child = fork();
    if (child == 0) {
        report("second child");
        _exit(0);
    }
    waitpid(child, NULL, 0);
    return 0;
}
