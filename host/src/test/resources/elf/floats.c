/* Doubles passed to a library function on its first call: with lazy binding the call goes through glibc's
 * _dl_runtime_resolve, which keeps the argument registers with FXSAVE/FXRSTOR around the resolver (itself using SSE).
 * Under an emulated CPU whose CR4.OSFXSR is clear those instructions leave XMM0-15 out: this printed 0.000000. */
#include <math.h>
#include <stdio.h>

int main(void) {
    volatile double x = 3.75;
    printf("%.3f %.3f %g\n", x, x * 2.5, x / 3);
    int e;
    double m = frexp(x, &e); /* frexp and ldexp are in libc.so.6 too */
    printf("frexp %.4f %d ldexp %.2f\n", m, e, ldexp(m, e));
    return 0;
}
