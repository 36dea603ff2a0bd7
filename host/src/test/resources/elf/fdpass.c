// Descriptor passing over a Unix stream socket (sendmsg and recvmsg with SCM_RIGHTS) between a parent and its child:
// the read end of a pipe goes to the child, which reads through it what the parent writes; a message with two
// descriptors into room for one arrives truncated (MSG_CTRUNC); a recvmsg reads on through bytes sent without
// descriptors and stops after the first message that has some; a plain read drops the descriptors it meets.
// After its second message the child waits on a "go" pipe until the parent has sent them all: a stream recvmsg joins
// only what is queued, so without it a loaded machine cut the third read short ('ab' alone) and shifted the rest.
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static void send_fds(int sock, const char *bytes, int *fds, int count) {
    char control[CMSG_SPACE(sizeof(int) * 4)] = {0};
    struct iovec iov = {(void *) bytes, strlen(bytes)};
    struct msghdr msg = {0};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    if (count > 0) {
        msg.msg_control = control;
        msg.msg_controllen = CMSG_SPACE(sizeof(int) * count);
        struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int) * count);
        memcpy(CMSG_DATA(c), fds, sizeof(int) * count);
    }
    if (sendmsg(sock, &msg, 0) < 0) {
        perror("sendmsg");
    }
}

/** Receives into room for `room` descriptors; prints what came and returns the first descriptor (or -1). */
static int receive(int sock, int room, const char *what) {
    char bytes[16] = {0};
    char control[CMSG_SPACE(sizeof(int) * 4)];
    struct iovec iov = {bytes, sizeof bytes - 1};
    struct msghdr msg = {0};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = CMSG_LEN(sizeof(int) * room);
    ssize_t n = recvmsg(sock, &msg, 0);
    int count = 0, first = -1;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
            count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
            memcpy(&first, CMSG_DATA(c), sizeof(int));
        }
    }
    printf("%s: %zd byte(s) '%s', %d descriptor(s)%s\n", what, n, bytes, count,
           msg.msg_flags & MSG_CTRUNC ? ", truncated" : "");
    return first;
}

int main(void) {
    int pair[2], pipe_fds[2], go[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair) != 0 || pipe(pipe_fds) != 0 || pipe(go) != 0) {
        perror("socketpair");
        return 1;
    }
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        close(pair[0]);
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        close(go[1]);
        int passed = receive(pair[1], 1, "first");
        char text[64] = {0};
        read(passed, text, sizeof text - 1);
        printf("through the passed pipe: %s\n", text);
        receive(pair[1], 1, "second");
        char sent;
        read(go[0], &sent, 1); // every message is queued now
        receive(pair[1], 4, "third");
        receive(pair[1], 4, "fourth");
        char plain[8] = {0};
        printf("plain read: %zd byte(s) '%s'\n", read(pair[1], plain, sizeof plain - 1), plain);
        receive(pair[1], 4, "last");
        fflush(stdout);
        _exit(0);
    }
    close(pair[1]);
    close(go[0]);
    send_fds(pair[0], "x", &pipe_fds[0], 1);
    write(pipe_fds[1], "hello", 5);
    close(pipe_fds[1]);
    int two[2] = {pipe_fds[0], pipe_fds[0]};
    send_fds(pair[0], "y", two, 2);
    send_fds(pair[0], "ab", NULL, 0);
    send_fds(pair[0], "cd", two, 1);
    send_fds(pair[0], "e", two, 1);
    send_fds(pair[0], "f", two, 1);
    send_fds(pair[0], "g", NULL, 0);
    write(go[1], "!", 1);
    close(pipe_fds[0]);
    int status;
    waitpid(child, &status, 0);
    printf("child status %d\n", WEXITSTATUS(status));
    return 0;
}
