// The program the stepping benchmarks (bench/gdb.sh, bench/latency.sh, bench/bridge-cpu.sh) debug: a call in a loop for
// breakpoints and `finish`, then a long loop to step through. Built with gcc -static -g -O0.
long f(long a) { return a * 2 + 1; }
int main(void) {
    long s = 0;
    for (long i = 0; i < 2000; i++) s += f(i);
    for (volatile long i = 0; i < 100000; i++) s += i;
    return (int) (s & 1);
}
