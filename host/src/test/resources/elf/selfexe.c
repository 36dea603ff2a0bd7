/* Prints where /proc/self/exe points: Linux gives the executable's absolute path, whatever argv[0] says. */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv) {
    char target[4096];
    ssize_t n = readlink("/proc/self/exe", target, sizeof target - 1);
    if (n < 0) {
        perror("readlink");
        return 1;
    }
    target[n] = 0;
    printf("argv[0]=%s\nexe=%s\n", argv[0], target);
    return 0;
}
