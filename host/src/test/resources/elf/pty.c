/* Pseudo-terminals, run natively and under hdbg (ProcessProgramsIT): posix_openpt, grantpt, unlockpt and ptsname, a
   locked slave's EIO, isatty, ttyname and the slave's device; the slave's default termios; the line discipline
   (echo with ^C and erase's "\b \b", canonical lines with VERASE, VKILL, VEOF, ICRNL, ONLCR), raw mode, the window
   size, VMIN 0 and VTIME's timed read; openpty and a child with the terminal as its controlling one (setsid, TIOCSCTTY, /dev/tty), ^C as its
   SIGINT; and the hang-ups: the master's EIO when the slaves are gone, the slave's end of file and EIO when the
   master is. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include "show.h"

/* Everything the master can read within 200 ms of quiet (Linux moves a pty's bytes asynchronously), shown escaped. */
static void drain(int master, const char *what) {
    char buffer[256], shown[1024];
    size_t n = 0, s = 0;
    struct pollfd p = {.fd = master, .events = POLLIN};
    while (n < sizeof buffer && poll(&p, 1, 200) == 1 && (p.revents & POLLIN)) {
        ssize_t got = read(master, buffer + n, sizeof buffer - n);
        if (got <= 0) break;
        n += got;
    }
    for (size_t i = 0; i < n && s < sizeof shown - 5; i++) {
        unsigned char c = buffer[i];
        s += c >= 0x20 && c < 0x7f ? (size_t) snprintf(shown + s, 2, "%c", c) : (size_t) snprintf(shown + s, 5, "\\x%02x", c);
    }
    shown[s] = 0;
    printf("%s: the master reads \"%s\"\n", what, shown);
}

static void slave_reads(int slave, const char *what) {
    char buffer[64];
    ssize_t n = read(slave, buffer, sizeof buffer);
    if (n < 0) {
        show(what, n);
        return;
    }
    for (ssize_t i = 0; i < n; i++) {
        if (buffer[i] == '\n') buffer[i] = '|';
    }
    printf("%s: %zd \"%.*s\"\n", what, n, (int) n, buffer);
}

int main(void) {
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    show("posix_openpt", master >= 0);
    show("grantpt", grantpt(master));
    char *name = ptsname(master);
    show("a locked slave's open", open(name, O_RDWR | O_NOCTTY));
    show("unlockpt", unlockpt(master));
    int slave = open(name, O_RDWR | O_NOCTTY);
    show("the slave's open", slave >= 0);
    printf("isatty: master %d slave %d; ttyname is ptsname: %d\n", isatty(master), isatty(slave),
           ttyname(slave) != NULL && strcmp(ttyname(slave), name) == 0);
    struct stat st;
    fstat(slave, &st);
    printf("the slave: a character device %d, major %u, mode %o\n", S_ISCHR(st.st_mode), major(st.st_rdev),
           st.st_mode & 0777);
    struct termios t;
    tcgetattr(slave, &t);
    printf("termios: ICANON %d ECHO %d ISIG %d ECHOCTL %d ICRNL %d OPOST %d ONLCR %d VERASE %d VKILL %d VEOF %d\n",
           !!(t.c_lflag & ICANON), !!(t.c_lflag & ECHO), !!(t.c_lflag & ISIG), !!(t.c_lflag & ECHOCTL),
           !!(t.c_iflag & ICRNL), !!(t.c_oflag & OPOST), !!(t.c_oflag & ONLCR), t.c_cc[VERASE], t.c_cc[VKILL],
           t.c_cc[VEOF]);

    write(master, "ab\x7f" "c\r", 5);
    slave_reads(slave, "typed ab, erase, c, return");
    drain(master, "its echo");
    write(master, "xyz\x15w\n", 6);
    slave_reads(slave, "xyz, kill, w");
    drain(master, "its echo");
    write(master, "de\x04", 3);
    slave_reads(slave, "de then EOF");
    write(master, "\x04", 1);
    slave_reads(slave, "EOF at the start of a line");
    drain(master, "nothing echoed for EOF");
    write(slave, "1\n2\n", 4);
    drain(master, "the slave wrote 1 and 2 on lines");

    struct termios raw = t;
    cfmakeraw(&raw);
    write(master, "\x04", 1);
    struct pollfd typed = {.fd = slave, .events = POLLIN};
    poll(&typed, 1, 1000); /* the line discipline has taken the EOF */
    tcsetattr(slave, TCSANOW, &raw);
    char nul = 'x';
    show("raw: the EOF typed in cooked mode, read", read(slave, &nul, 1));
    printf("  as the byte %d\n", nul);
    write(master, "q\r\x03", 3);
    slave_reads(slave, "raw: q, return, ^C");
    write(slave, "x\n", 2);
    drain(master, "raw: no echo, no ONLCR");
    raw.c_cc[VMIN] = 0;
    raw.c_cc[VTIME] = 3;
    tcsetattr(slave, TCSANOW, &raw);
    struct timespec before, after;
    clock_gettime(CLOCK_MONOTONIC, &before);
    show("raw, VMIN 0 and VTIME 3: a read of nothing", read(slave, &nul, 1));
    clock_gettime(CLOCK_MONOTONIC, &after);
    long waited = (after.tv_sec - before.tv_sec) * 1000 + (after.tv_nsec - before.tv_nsec) / 1000000;
    printf("  after 300 ms or more: %d, less than 2 s: %d\n", waited >= 290, waited < 2000);
    write(master, "k", 1);
    show("raw, VMIN 0 and VTIME 3: a byte there", read(slave, &nul, 1));
    tcsetattr(slave, TCSANOW, &t);

    struct winsize size = {.ws_row = 24, .ws_col = 80}, back = {0};
    ioctl(master, TIOCSWINSZ, &size);
    ioctl(slave, TIOCGWINSZ, &back);
    printf("window size through the other end: %dx%d\n", back.ws_col, back.ws_row);
    close(slave);
    show("the master's read, the slave closed", read(master, &size, 1));
    close(master);

    int m2, s2;
    show("openpty", openpty(&m2, &s2, NULL, NULL, &size));
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        close(m2);
        setsid();
        show("TIOCSCTTY", ioctl(s2, TIOCSCTTY, 0));
        dup2(s2, 0);
        dup2(s2, 1);
        close(s2);
        int tty = open("/dev/tty", O_RDWR);
        printf("/dev/tty opened: %d, the foreground group is mine: %d\n", tty >= 0, tcgetpgrp(0) == getpgrp());
        fflush(stdout);
        signal(SIGINT, SIG_DFL);
        char c;
        read(0, &c, 1); /* ^C ends it */
        _exit(0);
    }
    close(s2);
    usleep(100000);
    drain(m2, "the child printed");
    write(m2, "\x03", 1);
    int status;
    waitpid(child, &status, 0);
    printf("the child: killed by SIGINT %d\n", WIFSIGNALED(status) && WTERMSIG(status) == SIGINT);
    drain(m2, "^C echoed");
    char b;
    show("the master's read, the child gone", read(m2, &b, 1));
    close(m2);

    int m3, s3;
    openpty(&m3, &s3, NULL, NULL, NULL);
    close(m3);
    show("the slave's read, the master closed", read(s3, &b, 1));
    show("the slave's write, the master closed", write(s3, "x", 1));
    return 0;
}
