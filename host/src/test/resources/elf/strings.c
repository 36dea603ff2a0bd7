/* String handling: argv, strtok, qsort of words, snprintf, case changes, strstr and memmove. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int by_text(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int main(int argc, char **argv) {
    char sentence[] = "the quick brown fox jumps over the lazy dog";
    char *words[16];
    int n = 0;
    for (char *w = strtok(sentence, " "); w != NULL && n < 16; w = strtok(NULL, " ")) {
        words[n++] = w;
    }
    qsort(words, n, sizeof words[0], by_text);
    for (int i = 0; i < n; i++) {
        printf("%d:%s%s", i, words[i], i + 1 < n ? " " : "\n");
    }
    for (int i = 1; i < argc; i++) {
        char upper[64];
        size_t len = strlen(argv[i]);
        for (size_t j = 0; j <= len && j < sizeof upper; j++) {
            upper[j] = (char)toupper((unsigned char)argv[i][j]);
        }
        upper[sizeof upper - 1] = '\0';
        printf("arg %d: '%s' -> '%s' (%zu bytes)\n", i, argv[i], upper, len);
    }
    char buffer[32] = "0123456789abcdef";
    memmove(buffer + 4, buffer, 10);
    printf("memmove: %s, strstr: %s\n", buffer, strstr("haystack with needle inside", "needle"));
    char line[40];
    int written = snprintf(line, sizeof line, "%-8s|%8s|%.3s", "left", "right", "truncated");
    printf("snprintf(%d): [%s]\n", written, line);
    fprintf(stderr, "strings: %d words sorted\n", n);
    return argc + 1;
}
