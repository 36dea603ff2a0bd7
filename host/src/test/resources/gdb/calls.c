/* The gdb bridge's test program (GdbBridgeIT): a function with an argument, a global to watch, a loop to step. */
#include <stdio.h>

volatile long global = 0;
long x = 42;

long f(long a) {
    long y = a * 2;
    global = y + 1;
    return y + x;
}

int main(void) {
    long s = 0;
    for (long i = 0; i < 3; i++) {
        s += f(i + 5);
    }
    for (long i = 0; i < 1000; i++) {
        s += i & 7;
    }
    printf("s=%ld\n", s);
    return 0;
}
