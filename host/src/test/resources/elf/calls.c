/* calls: a few nested calls for .restart and !track (RestartIT, TrackIT): main -> work -> leaf -> square, printf. */
#include <stdio.h>
#include <stdlib.h>

static __attribute__((noinline)) int square(int n) {
    return n * n;
}

__attribute__((noinline)) int leaf(int n) {
    return square(n) + 1;
}

__attribute__((noinline)) int work(int n) {
    int sum = 0;
    for (int i = 0; i < n; i++) {
        sum += leaf(i);
    }
    printf("work %d = %d\n", n, sum);
    return sum;
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 2;
    return work(n) > 0 ? 0 : 1;
}
