/* For ScriptsIT: step() is called with 0 .. 9 and its results summed; scripts hook step's first instruction. */
#include <stdio.h>

__attribute__((noinline)) long step(long i) {
    __asm__ volatile("" ::: "memory");
    return i * 2;
}

int main(void) {
    long sum = 0;
    for (long i = 0; i < 10; i++) {
        sum += step(i);
    }
    printf("sum=%ld\n", sum);
    return (int)(sum & 0x7f);
}
