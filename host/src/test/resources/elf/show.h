/* How the test programs print a call's result, the same natively and under hdbg: "what: N", or "what: -1 (ENAME)"
   with errno's name (glibc's strerrorname_np). Each program defines _GNU_SOURCE before its first include. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

static inline const char *errno_name(int e) {
    const char *name = strerrorname_np(e);
    return name != NULL ? name : "?";
}

static inline void show(const char *what, long r) {
    if (r < 0) {
        printf("%s: -1 (%s)\n", what, errno_name(errno));
    } else {
        printf("%s: %ld\n", what, r);
    }
}
