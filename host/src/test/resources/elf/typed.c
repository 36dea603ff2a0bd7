/* A struct with a bit field, a nested struct, a pointer and arrays, in a global dt reads (dt point origin). */
#include <stdio.h>

struct inner {
    short a;
    char tag[6];
};

struct point {
    int x;
    long y;
    unsigned int flags : 3;
    unsigned int mode : 5;
    struct inner in;
    struct point *next;
    char name[8];
};

struct point origin = {5, -7, 3, 9, {0x1234, "abc"}, &origin, "orig"};

int main(void) {
    printf("%d %s\n", origin.x, origin.next->name);
    return 0;
}
