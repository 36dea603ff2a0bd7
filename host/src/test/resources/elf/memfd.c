// memfd_create: an anonymous file read and written through its descriptor and a shared mapping, sized by ftruncate,
// named /memfd:NAME (deleted) in /proc/self/fd, close-on-exec when asked, and shared with a forked child, whose
// writes through the mapping and the descriptor the parent reads after waiting for it. Unknown flags are refused
// (seals: memfdseal.c). Then the program copies itself into a memfd and runs that copy from memory in a child, with fexecve
// (execveat with AT_EMPTY_PATH) and with execve of /proc/self/fd/N, as loaders older than execveat do: the copy
// sees its name and argv as Linux gives them. The output is the same natively
// and under hdbg.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/** The copy run from memory: what it was started as. */
static int from_memory(char **argv) {
    char exe[128] = {0};
    readlink("/proc/self/exe", exe, sizeof exe - 1);
    printf("from memory: argv %s %s, exe %s, execfn %s\n", argv[0], argv[1], exe, (char *) getauxval(AT_EXECFN));
    return 3;
}

/** Copies this program into a memfd and runs the copy in a child, by fexecve or by its /proc path; its status. */
static int run_a_copy_from_memory(int by_path) {
    int self = open("/proc/self/exe", O_RDONLY);
    int copy = memfd_create("copy", MFD_CLOEXEC);
    char chunk[65536];
    ssize_t n;
    while ((n = read(self, chunk, sizeof chunk)) > 0) {
        write(copy, chunk, n);
    }
    close(self);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        char *args[] = {"memfd-copy", "from-memory", NULL};
        char *env[] = {NULL};
        char link[64];
        snprintf(link, sizeof link, "/proc/self/fd/%d", copy);
        if (by_path) {
            execve(link, args, env);
        } else {
            fexecve(copy, args, env);
        }
        printf("exec failed: %s\n", strerror(errno));
        _exit(1);
    }
    int status;
    waitpid(child, &status, 0);
    return WEXITSTATUS(status);
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "from-memory") == 0) {
        return from_memory(argv);
    }
    int fd = memfd_create("hdbg-test", MFD_CLOEXEC);
    if (fd < 0) {
        perror("memfd_create");
        return 1;
    }
    write(fd, "hello", 5);
    if (ftruncate(fd, 4096) != 0) {
        perror("ftruncate");
        return 1;
    }
    char *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (shared == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    memcpy(shared + 5, " world", 6);
    char text[32] = {0};
    pread(fd, text, 11, 0);
    printf("read back through the descriptor: %s\n", text);

    struct stat st;
    fstat(fd, &st);
    printf("size %lld, regular %d, mode %o\n", (long long) st.st_size, S_ISREG(st.st_mode), st.st_mode & 07777);
    char self[64], link[128] = {0};
    snprintf(self, sizeof self, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(self, link, sizeof link - 1);
    printf("its name: %s\n", n > 0 ? link : "?");
    printf("close-on-exec: %d\n", (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
    printf("offset after the write: %lld\n", (long long) lseek(fd, 0, SEEK_CUR));

    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        shared[0] = 'H';
        pwrite(fd, "!", 1, 11);
        _exit(0);
    }
    waitpid(child, NULL, 0);
    memset(text, 0, sizeof text);
    pread(fd, text, 12, 0);
    printf("after the child: %s (mapping: %.12s)\n", text, shared);

    int plain = memfd_create("plain", 0);
    printf("without MFD_CLOEXEC: %d\n", (fcntl(plain, F_GETFD) & FD_CLOEXEC) != 0);
    errno = 0;
    int bad = memfd_create("bad", 0x100);
    printf("unknown flag: %d (%s)\n", bad, errno == EINVAL ? "EINVAL" : strerror(errno));
    char long_name[300];
    memset(long_name, 'x', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = 0;
    errno = 0;
    int too_long = memfd_create(long_name, 0);
    printf("a 299-byte name: %d (%s)\n", too_long, errno == EINVAL ? "EINVAL" : strerror(errno));
    printf("the copy run from memory exited with %d\n", run_a_copy_from_memory(0));
    printf("the copy run by its /proc path exited with %d\n", run_a_copy_from_memory(1));
    return 0;
}
