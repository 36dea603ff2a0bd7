/*
 * Sums a table in memory for a few seconds under the agent, then prints the sum: gdb's Ctrl-C may stop it anywhere,
 * and `continue` must go on as though it had never stopped, so that the sum is the native one (GdbBridgeIT).
 */
#include <stdio.h>

static unsigned long table[4096];

void never(void) {
    puts("never called");
}

int main(void) {
    unsigned long sum = 0;
    for (unsigned long i = 0; i < 300000000UL; i++) {
        table[i & 4095] += i;
        sum += table[(i * 7) & 4095];
    }
    printf("sum %lu\n", sum);
    return 0;
}
