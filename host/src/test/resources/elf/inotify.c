/* inotify, run natively and under hdbg (ProcessProgramsIT): watches on a directory and on a file in it, the events
   the program's own changes make there (create, open, write, read, close, attributes, truncate, rename, link,
   unlink, mkdir, rmdir) in Linux's order with their names and cookies, IN_ONESHOT, IN_MASK_ADD and IN_MASK_CREATE,
   inotify_rm_watch's IN_IGNORED, a read too short for the next event, non-blocking and blocking reads (a child
   writes), poll, FIONREAD and the errors of bad arguments. Run in a writable, empty working directory. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "show.h"

static int dir_wd, file_wd, first_wd, second_wd;

static const char *names[] = {"ACCESS", "MODIFY", "ATTRIB", "CLOSE_WRITE", "CLOSE_NOWRITE", "OPEN", "MOVED_FROM",
                              "MOVED_TO", "CREATE", "DELETE", "DELETE_SELF", "MOVE_SELF"};

static void print_mask(uint32_t mask) {
    for (int i = 0; i < 12; i++) {
        if (mask & (1u << i)) {
            printf(" %s", names[i]);
        }
    }
    if (mask & IN_Q_OVERFLOW) printf(" Q_OVERFLOW");
    if (mask & IN_IGNORED) printf(" IGNORED");
    if (mask & IN_ISDIR) printf(" ISDIR");
}

/* Prints every queued event: which watch, what, the name, and whether a cookie pairs it with the one before. */
static void drain(int fd, const char *after) {
    char buffer[4096] __attribute__((aligned(8)));
    printf("after %s:\n", after);
    static uint32_t last_cookie;
    for (;;) {
        ssize_t n = read(fd, buffer, sizeof buffer);
        if (n <= 0) {
            if (n < 0 && errno != EAGAIN) show("  read", n);
            return;
        }
        for (char *p = buffer; p < buffer + n;) {
            struct inotify_event *e = (struct inotify_event *) p;
            printf("  %s", e->wd == dir_wd ? "dir" : e->wd == file_wd ? "file" : e->wd == first_wd ? "first"
                           : e->wd == second_wd ? "second" : "other");
            print_mask(e->mask);
            if (e->len) printf(" '%s' (len %u)", e->name, e->len);
            if (e->cookie) printf(" cookie %s", e->cookie == last_cookie ? "same" : "new");
            last_cookie = e->cookie ? e->cookie : last_cookie;
            printf("\n");
            p += sizeof *e + e->len;
        }
    }
}

int main(void) {
    show("inotify_init1 with a bad flag", inotify_init1(1));
    int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    printf("inotify_init1: %d, FD_CLOEXEC %d\n", fd >= 0, fcntl(fd, F_GETFD) & FD_CLOEXEC);
    mkdir("w", 0755);
    dir_wd = inotify_add_watch(fd, "w", IN_ALL_EVENTS);
    show("watch the directory", dir_wd);
    show("the same again: the same wd", inotify_add_watch(fd, "w", IN_ALL_EVENTS) == dir_wd);
    show("IN_MASK_CREATE of a watched one", inotify_add_watch(fd, "w", IN_MODIFY | IN_MASK_CREATE));
    show("IN_MASK_CREATE with IN_MASK_ADD", inotify_add_watch(fd, "w", IN_MODIFY | IN_MASK_CREATE | IN_MASK_ADD));
    show("an empty mask", inotify_add_watch(fd, "w", 0));
    show("a missing path", inotify_add_watch(fd, "w/missing", IN_ALL_EVENTS));
    show("not an inotify descriptor", inotify_add_watch(1, "w", IN_ALL_EVENTS));
    show("a closed descriptor", inotify_add_watch(99, "w", IN_ALL_EVENTS));
    show("rm_watch of an unknown wd", inotify_rm_watch(fd, 12345));
    drain(fd, "the watches");

    int f = open("w/a.txt", O_CREAT | O_WRONLY, 0644);
    drain(fd, "creat");
    file_wd = inotify_add_watch(fd, "w/a.txt", IN_ALL_EVENTS);
    show("IN_ONLYDIR of a file", inotify_add_watch(fd, "w/a.txt", IN_ALL_EVENTS | IN_ONLYDIR));
    write(f, "hello", 5);
    write(f, "hello", 5);
    drain(fd, "two writes (merged when alike)");
    int size = -1;
    write(f, "x", 1);
    ioctl(fd, FIONREAD, &size);
    printf("FIONREAD after a write: %d\n", size);
    struct pollfd p = {.fd = fd, .events = POLLIN};
    show("poll", poll(&p, 1, 0));
    printf("  revents POLLIN %d\n", (p.revents & POLLIN) != 0);
    char tiny[16];
    show("a read of 16 bytes", read(fd, tiny, sizeof tiny));
    drain(fd, "a third write");
    show("poll, nothing queued", poll(&p, 1, 0));
    close(f);
    drain(fd, "close");
    f = open("w/a.txt", O_RDONLY);
    char c[4];
    read(f, c, sizeof c);
    close(f);
    drain(fd, "open, read and close for reading");
    chmod("w/a.txt", 0600);
    drain(fd, "chmod");
    truncate("w/a.txt", 2);
    drain(fd, "truncate");
    struct timespec times[2] = {{1, 0}, {2, 0}};
    utimensat(AT_FDCWD, "w/a.txt", times, 0);
    drain(fd, "utimensat");
    rename("w/a.txt", "w/b.txt");
    drain(fd, "rename within the directory");
    link("w/b.txt", "w/c.txt");
    drain(fd, "link");
    unlink("w/c.txt");
    drain(fd, "unlink of one of two links");
    symlink("b.txt", "w/s");
    drain(fd, "symlink");
    mkdir("w/sub", 0755);
    rmdir("w/sub");
    drain(fd, "mkdir and rmdir");
    rename("w/b.txt", "moved.txt");
    drain(fd, "rename out of the directory");
    unlink("moved.txt");
    drain(fd, "unlink of the watched file");
    close(open("w/t1", O_CREAT | O_WRONLY, 0644));
    close(open("w/t2", O_CREAT | O_WRONLY, 0644));
    first_wd = inotify_add_watch(fd, "w/t1", IN_ALL_EVENTS);
    second_wd = inotify_add_watch(fd, "w/t2", IN_ALL_EVENTS);
    drain(fd, "two files made");
    rename("w/t1", "w/t2");
    drain(fd, "a rename that replaces a watched file");
    close(open("w/t2", O_WRONLY | O_TRUNC));
    drain(fd, "an open with O_TRUNC");
    mkdir("w/d1", 0755);
    second_wd = inotify_add_watch(fd, "w/d1", IN_ALL_EVENTS);
    rename("w/d1", "w/d2");
    drain(fd, "mkdir and a rename of a watched directory");
    rmdir("w/d2");
    unlink("w/t2");
    drain(fd, "rmdir of it and unlink");
    unlink("w/s");
    drain(fd, "unlink of the symbolic link");

    int once = inotify_add_watch(fd, "w", IN_CREATE | IN_ONESHOT);
    show("IN_ONESHOT replaces the directory's watch", once == dir_wd);
    close(open("w/x", O_CREAT | O_WRONLY, 0644));
    close(open("w/y", O_CREAT | O_WRONLY, 0644));
    drain(fd, "two creates under IN_ONESHOT");
    dir_wd = inotify_add_watch(fd, "w", IN_DELETE);
    show("IN_MASK_ADD", inotify_add_watch(fd, "w", IN_CREATE | IN_MASK_ADD) == dir_wd);
    unlink("w/x");
    close(open("w/z", O_CREAT | O_WRONLY, 0644));
    drain(fd, "unlink and create under IN_DELETE | IN_CREATE");
    show("inotify_rm_watch", inotify_rm_watch(fd, dir_wd));
    drain(fd, "inotify_rm_watch");
    show("inotify_rm_watch again", inotify_rm_watch(fd, dir_wd));

    int blocking = inotify_init();
    dir_wd = inotify_add_watch(blocking, "w", IN_CLOSE_WRITE);
    pid_t child = fork();
    if (child == 0) {
        usleep(20000);
        int out = open("w/from-child", O_CREAT | O_WRONLY, 0644);
        write(out, "x", 1);
        _exit(0); /* its exit closes the file: IN_CLOSE_WRITE */
    }
    char buffer[256] __attribute__((aligned(8)));
    ssize_t n = read(blocking, buffer, sizeof buffer);
    struct inotify_event *e = (struct inotify_event *) buffer;
    printf("a blocking read while a child writes: %d, CLOSE_WRITE %d, '%s'\n", n > 0, (e->mask & IN_CLOSE_WRITE) != 0,
           e->name);
    waitpid(child, NULL, 0);
    unlink("w/y");
    unlink("w/z");
    unlink("w/from-child");
    rmdir("w");
    fcntl(blocking, F_SETFL, O_NONBLOCK);
    drain(blocking, "the directory removed");
    return 0;
}
