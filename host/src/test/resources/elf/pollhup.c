/* What poll reports when the other side of a pipe, a named pipe or a socket is gone, run natively and under hdbg
   (ProcessProgramsIT, in a writable working directory): POLLHUP and POLLERR whatever was asked, and a non-blocking
   reader of a named pipe that has seen no writer yet waits (no POLLIN, no POLLHUP); a pipe's end of file is POLLHUP
   alone, POLLIN only while data waits. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static int revents(int fd, short events) {
    struct pollfd p = {fd, events, 0};
    return poll(&p, 1, 0) < 0 ? -1 : p.revents;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    char c;
    int p[2];
    pipe(p);
    write(p[1], "x", 1);
    close(p[1]);
    printf("pipe, the writer gone, data left: %#x\n", revents(p[0], POLLIN));
    read(p[0], &c, 1);
    printf("pipe, the writer gone, nothing left: %#x\n", revents(p[0], POLLIN));
    close(p[0]);
    pipe(p);
    close(p[0]);
    printf("pipe's writer, the reader gone: %#x\n", revents(p[1], POLLOUT));
    close(p[1]);

    char path[64];
    snprintf(path, sizeof path, "hup-%d.fifo", (int) getpid());
    if (mkfifo(path, 0600) != 0) {
        perror("mkfifo");
        return 1;
    }
    int r = open(path, O_RDONLY | O_NONBLOCK);
    printf("named pipe, no writer yet: %#x\n", revents(r, POLLIN));
    int w = open(path, O_WRONLY);
    printf("named pipe with a writer: %#x\n", revents(r, POLLIN));
    write(w, "x", 1);
    printf("named pipe with data: %#x\n", revents(r, POLLIN));
    close(w);
    printf("named pipe, the writer gone, data left: %#x\n", revents(r, POLLIN));
    read(r, &c, 1);
    printf("named pipe, the writer gone, nothing left: %#x\n", revents(r, POLLIN));
    close(r);
    unlink(path);

    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    close(sv[1]);
    printf("stream socket, the peer closed: %#x\n", revents(sv[0], POLLIN | POLLOUT));
    close(sv[0]);
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    shutdown(sv[0], SHUT_RDWR);
    printf("stream socket shut both ways: %#x\n", revents(sv[0], POLLIN));
    close(sv[0]);
    close(sv[1]);
    return 0;
}
