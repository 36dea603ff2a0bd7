/* File reading beneath the root: stdio line reading, read(2) in chunks, stat, a directory listing, errors. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : "data/poem.txt";
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        fprintf(stderr, "files: cannot open %s: %s\n", path, strerror(errno));
        return 2;
    }
    char line[256];
    int lines = 0, words = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        lines++;
        for (char *w = strtok(line, " \t\n"); w != NULL; w = strtok(NULL, " \t\n")) {
            words++;
        }
    }
    fclose(f);
    printf("%s: %d lines, %d words\n", path, lines, words);

    int fd = open(path, O_RDONLY);
    char chunk[7];
    long total = 0, chunks = 0;
    ssize_t got;
    while ((got = read(fd, chunk, sizeof chunk)) > 0) {
        total += got;
        chunks++;
    }
    off_t end = lseek(fd, 0, SEEK_END);
    close(fd);
    struct stat st;
    stat(path, &st);
    printf("read %ld bytes in %ld chunks; lseek end %lld; stat size %lld, regular %d\n", total, chunks,
           (long long)end, (long long)st.st_size, S_ISREG(st.st_mode));

    DIR *dir = opendir("data");
    char *names[64];
    int count = 0;
    for (struct dirent *e; dir != NULL && (e = readdir(dir)) != NULL && count < 64;) {
        if (e->d_name[0] != '.') {
            names[count++] = strdup(e->d_name);
        }
    }
    closedir(dir);
    qsort(names, count, sizeof names[0], by_name);
    for (int i = 0; i < count; i++) {
        printf("data/%s\n", names[i]);
    }
    if (open("data/missing.txt", O_RDONLY) < 0) {
        printf("data/missing.txt: %s\n", strerror(errno));
    }
    return 0;
}
