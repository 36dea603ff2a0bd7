/* The gcc -O2 row of bench/real.sh: a sieve, a matrix product and a byte histogram, the loads and
 * stores of an ordinary compute-bound C program. Prints a checksum so the work cannot be elided. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 160

static unsigned char sieve[4 << 20];
static double a[N][N], b[N][N], c[N][N];

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 4;
    unsigned long sum = 0;
    for (int r = 0; r < rounds; r++) {
        memset(sieve, 1, sizeof sieve);
        for (long i = 2; i * i < (long) sizeof sieve; i++) {
            if (sieve[i]) {
                for (long j = i * i; j < (long) sizeof sieve; j += i) {
                    sieve[j] = 0;
                }
            }
        }
        for (long i = 0; i < (long) sizeof sieve; i++) {
            sum += sieve[i];
        }
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                a[i][j] = i + j + r;
                b[i][j] = i - j;
            }
        }
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                double s = 0;
                for (int k = 0; k < N; k++) {
                    s += a[i][k] * b[k][j];
                }
                c[i][j] = s;
            }
        }
        sum += (unsigned long) c[N / 2][N / 3];
    }
    printf("%lu\n", sum);
    return 0;
}
