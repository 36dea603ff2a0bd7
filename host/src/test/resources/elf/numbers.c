/* printf of integers and floating point, strtod/strtol parsing, and some libm. */
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int main(void) {
    printf("%d %i %u %x %X %o\n", -42, INT_MIN, UINT_MAX, 0xbeef, 0xbeef, 8);
    printf("%ld %lld %" PRIu64 " %#lx\n", LONG_MIN, LLONG_MAX, UINT64_MAX, 0xdeadbeefUL);
    printf("[%5d] [%-5d] [%05d] [%+d]\n", 42, 42, 42, 42);
    double values[] = {0.0, -0.0, 1.0 / 3.0, 2.5e-8, 6.02214076e23, 123456.789, 1e300 * 10, -1.5};
    for (unsigned i = 0; i < sizeof values / sizeof values[0]; i++) {
        printf("%f %e %g %.15g %a\n", values[i], values[i], values[i], values[i], values[i]);
    }
    float f = 3.14159265f;
    printf("float %.7f, long double %.18Lf\n", f, (long double)1 / 7);
    printf("sqrt(2)=%.17g sin(1)=%.17g exp(1)=%.17g log10(2)=%.17g pow(2,0.5)=%.17g\n", sqrt(2.0), sin(1.0),
           exp(1.0), log10(2.0), pow(2.0, 0.5));
    char *end;
    double parsed = strtod("  -12.375e2xyz", &end);
    long hex = strtol("0x7fff_rest", &end, 16);
    printf("strtod %.4f, strtol %ld (stopped at '%s')\n", parsed, hex, end);
    long long acc = 1;
    for (int i = 1; i <= 20; i++) {
        acc *= i;
    }
    printf("20! = %lld, nan %f, inf %f\n", acc, NAN, -INFINITY);
    return 0;
}
