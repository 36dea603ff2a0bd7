// A memfd's seals and its reopening through /proc/self/fd/N, as systemd, Wayland's clients and glib use them: what
// each seal refuses (writes, growing, shrinking, new writable shared mappings, exec bits), F_SEAL_WRITE waiting for
// the last writable mapping, F_SEAL_FUTURE_WRITE leaving the mapping there, a memfd handed on read-only by reopening
// it, MFD_NOEXEC_SEAL, and an unlinked file reopened the same way. The output is the same natively and under hdbg.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL 0x0008U
#define MFD_EXEC 0x0010U
#endif
#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE 0x0010
#endif
#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC 0x0020
#endif

static const char *name_of(int e) {
    switch (e) {
    case EPERM: return "EPERM";
    case EINVAL: return "EINVAL";
    case EBUSY: return "EBUSY";
    case EBADF: return "EBADF";
    case EACCES: return "EACCES";
    case ENOENT: return "ENOENT";
    default: return strerror(e);
    }
}

/** Prints what a call returned, and its errno when it failed. */
static long show(const char *what, long result) {
    if (result < 0) {
        printf("%s: %ld (%s)\n", what, result, name_of(errno));
    } else {
        printf("%s: %ld\n", what, result);
    }
    errno = 0;
    return result;
}

static long size_of(int fd) {
    struct stat st;
    fstat(fd, &st);
    return (long) st.st_size;
}

static int reopen(int fd, int flags) {
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    return open(path, flags);
}

static void lengths(void) {
    int fd = memfd_create("lengths", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    show("memfd_create allowing seals", fd < 0 ? fd : 0);
    show("its seals", fcntl(fd, F_GET_SEALS));
    show("write", write(fd, "hello world", 11));
    show("ftruncate to 8192", ftruncate(fd, 8192));
    show("seal shrink and grow", fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW));
    show("its seals", fcntl(fd, F_GET_SEALS));
    show("ftruncate to 4096", ftruncate(fd, 4096));
    show("ftruncate to 16384", ftruncate(fd, 16384));
    show("ftruncate to 8192, its size", ftruncate(fd, 8192));
    show("pwrite inside", pwrite(fd, "HELLO", 5, 0));
    show("pwrite at the end", pwrite(fd, "x", 1, 8192));
    show("pwrite across the end (the page before it)", pwrite(fd, "0123456789", 10, 8190));
    show("fallocate past the end", fallocate(fd, 0, 0, 12288));
    show("size", size_of(fd));
    char text[12] = {0};
    pread(fd, text, 11, 0);
    printf("content: %s\n", text);
    close(fd);
}

static void writes(void) {
    int fd = memfd_create("writes", MFD_ALLOW_SEALING);
    show("memfd_create allowing seals", fd < 0 ? fd : 0);
    ftruncate(fd, 4096);
    char *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    strcpy(shared, "mapped");
    show("seal writes while mapped shared", fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
    munmap(shared, 4096);
    char *readonly = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
    show("seal writes while mapped shared read-only", fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
    munmap(readonly, 4096);
    show("seal writes once unmapped", fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
    show("write", write(fd, "x", 1));
    show("pwrite", pwrite(fd, "x", 1, 0));
    show("shrink (not sealed)", ftruncate(fd, 2048));
    void *writable = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    printf("shared writable mapping: %s\n", writable == MAP_FAILED ? name_of(errno) : "mapped");
    char *reading = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
    printf("shared read-only mapping: %s\n", reading == MAP_FAILED ? name_of(errno) : reading);
    show("made writable by mprotect", mprotect(reading, 4096, PROT_READ | PROT_WRITE));
    char *private = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    private[0] = 'M';
    printf("private mapping written: %.6s\n", private);
    char text[8] = {0};
    pread(fd, text, 6, 0);
    printf("the file still: %s\n", text);
    show("seal seals", fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL));
    show("seal more after that", fcntl(fd, F_ADD_SEALS, F_SEAL_GROW));
    show("its seals", fcntl(fd, F_GET_SEALS));
    close(fd);
}

static void future_writes(void) {
    int fd = memfd_create("future", MFD_ALLOW_SEALING);
    ftruncate(fd, 4096);
    char *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    show("seal future writes while mapped", fcntl(fd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE));
    strcpy(shared, "still writable");
    char text[16] = {0};
    pread(fd, text, 14, 0);
    printf("written through the mapping: %s\n", text);
    show("write", write(fd, "x", 1));
    void *writable = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    printf("new shared writable mapping: %s\n", writable == MAP_FAILED ? name_of(errno) : "mapped");

    int reader = reopen(fd, O_RDONLY);
    show("reopened read-only through /proc/self/fd", reader < 0 ? reader : 0);
    memset(text, 0, sizeof text);
    show("read through it", read(reader, text, 5));
    printf("read: %s\n", text);
    show("its offset", lseek(reader, 0, SEEK_CUR));
    show("the first descriptor's offset", lseek(fd, 0, SEEK_CUR));
    show("write through it", write(reader, "x", 1));
    show("its status flags are read-only", fcntl(reader, F_GETFL) & O_ACCMODE);
    show("its seals", fcntl(reader, F_GET_SEALS));
    show("seal it through the read-only descriptor", fcntl(reader, F_ADD_SEALS, F_SEAL_SHRINK));
    char *through_reader = mmap(NULL, 4096, PROT_READ, MAP_SHARED, reader, 0);
    printf("mapped shared through it: %.5s\n", through_reader);
    show("that mapping made writable by mprotect", mprotect(through_reader, 4096, PROT_READ | PROT_WRITE));
    int writer = reopen(fd, O_RDWR);
    show("write through a read-write reopen", write(writer, "x", 1));
    show("ftruncate through it", ftruncate(writer, 8192));
    show("size", size_of(fd));
    close(writer);
    close(reader);
    close(fd);
}

static void unsealable(void) {
    int plain = memfd_create("plain", 0);
    show("seals of a memfd made without MFD_ALLOW_SEALING", fcntl(plain, F_GET_SEALS));
    show("sealing it", fcntl(plain, F_ADD_SEALS, F_SEAL_WRITE));
    int exe = open("/proc/self/exe", O_RDONLY);
    show("seals of a program file", fcntl(exe, F_GET_SEALS));
    show("sealing it read-only", fcntl(exe, F_ADD_SEALS, F_SEAL_WRITE));
    int pipes[2];
    pipe(pipes);
    show("seals of a pipe", fcntl(pipes[0], F_GET_SEALS));
    int sealable = memfd_create("flags", MFD_ALLOW_SEALING);
    show("an unknown seal", fcntl(sealable, F_ADD_SEALS, 0x40));
    show("MFD_EXEC with MFD_NOEXEC_SEAL", memfd_create("both", MFD_EXEC | MFD_NOEXEC_SEAL));
}

static void exec_bits(void) {
    int fd = memfd_create("noexec", MFD_CLOEXEC | MFD_NOEXEC_SEAL);
    show("memfd_create noexec", fd < 0 ? fd : 0);
    struct stat st;
    fstat(fd, &st);
    printf("mode %o\n", st.st_mode & 07777);
    show("its seals", fcntl(fd, F_GET_SEALS));
    show("fchmod 0777", fchmod(fd, 0777));
    show("fchmod 0644", fchmod(fd, 0644));
    show("fchown to its own owner", fchown(fd, getuid(), getgid()));
    show("futimens", futimens(fd, NULL));
    fstat(fd, &st);
    printf("mode %o\n", st.st_mode & 07777);
    int self = open("/proc/self/exe", O_RDONLY);
    char chunk[65536];
    ssize_t n;
    while ((n = read(self, chunk, sizeof chunk)) > 0) {
        write(fd, chunk, n);
    }
    close(self);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        char *args[] = {"noexec", "never", NULL};
        char *env[] = {NULL};
        fexecve(fd, args, env);
        printf("fexecve of the noexec memfd: %s\n", name_of(errno));
        _exit(0);
    }
    waitpid(child, NULL, 0);

    int x = memfd_create("executable", MFD_ALLOW_SEALING | MFD_EXEC);
    fstat(x, &st);
    printf("mode %o\n", st.st_mode & 07777);
    show("seal exec on an executable memfd", fcntl(x, F_ADD_SEALS, F_SEAL_EXEC));
    show("its seals (W^X: writes and length sealed too)", fcntl(x, F_GET_SEALS));
    show("write", write(x, "x", 1));
    show("fchmod 0666", fchmod(x, 0666));
}

static void unlinked(void) {
    char path[64];
    snprintf(path, sizeof path, "/dev/shm/hdbg-memfdseal-%d", (int) getpid());
    int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
    write(fd, "kept", 4);
    unlink(path);
    char self[64], link[128] = {0};
    snprintf(self, sizeof self, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(self, link, sizeof link - 1);
    printf("its link ends with (deleted): %d\n", n > 10 && strcmp(link + n - 10, " (deleted)") == 0);
    int again = reopen(fd, O_RDONLY);
    show("an unlinked file reopened through /proc/self/fd", again < 0 ? again : 0);
    char text[8] = {0};
    show("read", read(again, text, 4));
    printf("read: %s\n", text);
    struct stat st;
    fstat(again, &st);
    printf("links %ld, size %ld\n", (long) st.st_nlink, (long) st.st_size);
    show("its seals", fcntl(again, F_GET_SEALS));
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    lengths();
    writes();
    future_writes();
    unsealable();
    exec_bits();
    unlinked();
    return 0;
}
