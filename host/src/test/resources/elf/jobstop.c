/* Job control between processes: SIGSTOP, SIGTSTP and SIGCONT stop and continue a child, which runs no further while
   stopped; its parent sees each change in waitpid (WUNTRACED, WCONTINUED), waitid (WSTOPPED, WNOWAIT) and a SIGCHLD
   (CLD_STOPPED, CLD_CONTINUED; none with SA_NOCLDSTOP), and /proc shows the stopped state. SIGCONT discards a pending
   stop signal; SIGKILL ends a stopped child; SIGTSTP is discarded in an orphaned process group; a stopped process
   whose group becomes orphaned gets SIGHUP and SIGCONT. Compared natively in ProcessProgramsIT.
   The tests run in a session of their own, each child in a group of its own there: whether the group the program
   was started in is orphaned depends on who started it (a CI runner's may be), and SIGTSTP's default action is
   discarded in an orphaned group, so a test child there would never stop. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include "show.h"

static volatile sig_atomic_t chld_code, chld_status, chld_count, conted;

static void on_chld(int s, siginfo_t *info, void *context) {
    (void)s;
    (void)context;
    chld_code = info->si_code;
    chld_status = info->si_status;
    chld_count++;
}

static void on_cont(int s) {
    (void)s;
    conted = 1;
}

static void on_hup(int s) {
    (void)s;
    write(3, "hup", 3);
    _exit(0);
}

static void handle_chld(int flags) {
    struct sigaction sa = {0};
    sa.sa_sigaction = on_chld;
    sa.sa_flags = SA_SIGINFO | SA_RESTART | flags;
    sigaction(SIGCHLD, &sa, NULL);
}

static char proc_state(pid_t pid) {
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    FILE *f = fopen(path, "r");
    char state = '?';
    while (f != NULL && fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, "State:\t", 7) == 0) {
            state = line[7];
        }
    }
    if (f != NULL) {
        fclose(f);
    }
    return state;
}

static void show_status(const char *what, pid_t r, int status) {
    if (r <= 0) {
        show(what, r);
    } else if (WIFSTOPPED(status)) {
        printf("%s: stopped by %d\n", what, WSTOPSIG(status));
    } else if (WIFCONTINUED(status)) {
        printf("%s: continued\n", what);
    } else if (WIFSIGNALED(status)) {
        printf("%s: killed by %d\n", what, WTERMSIG(status));
    } else {
        printf("%s: exited %d\n", what, WEXITSTATUS(status));
    }
}

/* fork, the child in a process group of its own: its parent, in another group of the session, keeps it from being
   orphaned. */
static pid_t fork_job(void) {
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
    } else if (pid > 0) {
        setpgid(pid, pid);
    }
    return pid;
}

/* A child that answers each byte on `in` with "r" and whether its SIGCONT handler ran, on `out`. */
static pid_t answering_child(int in, int out) {
    pid_t pid = fork_job();
    if (pid == 0) {
        signal(SIGCONT, on_cont);
        char c;
        while (read(in, &c, 1) == 1) {
            char reply[2] = {'r', conted ? '1' : '0'};
            write(out, reply, 2);
        }
        _exit(3);
    }
    return pid;
}

/* Whether `fd` has an answer within 200 ms; a SIGCHLD may interrupt the wait (Linux sends CLD_CONTINUED as the child
   runs again, at no fixed point of the parent's), so it is made again. */
static int answered(int fd) {
    struct pollfd p = {fd, POLLIN, 0};
    int r;
    while ((r = poll(&p, 1, 200)) < 0 && errno == EINTR) {
    }
    return r;
}

static int run_tests(void) {
    handle_chld(0);
    int to[2], from[2], status;
    if (pipe(to) != 0 || pipe(from) != 0) {
        return 1;
    }
    pid_t child = answering_child(to[0], from[0] == 0 ? 1 : from[1]);
    char reply[3] = {0};
    write(to[1], "a", 1);
    read(from[0], reply, 2);
    printf("before the stop: %s\n", reply);

    show("kill SIGSTOP", kill(child, SIGSTOP));
    pid_t r = waitpid(child, &status, WUNTRACED);
    show_status("waitpid WUNTRACED", r, status);
    /* (not si_status: Linux reads it from the stop's exit code, which the parent's waitpid may have taken by then) */
    printf("SIGCHLD: %d times, code %d (CLD_STOPPED %d); state %c\n", chld_count, chld_code, CLD_STOPPED,
           proc_state(child));
    show("waitpid WUNTRACED again, WNOHANG", waitpid(child, &status, WUNTRACED | WNOHANG));
    write(to[1], "b", 1);
    printf("a stopped child answers: %d\n", answered(from[0]));

    show("kill SIGCONT", kill(child, SIGCONT));
    r = waitpid(child, &status, WCONTINUED);
    show_status("waitpid WCONTINUED", r, status);
    printf("the continued child answers: %d\n", answered(from[0]));
    read(from[0], reply, 2);
    printf("its answer: %s (its SIGCONT handler ran)\n", reply);
    /* Linux sends CLD_CONTINUED as the child runs again: it has answered since */
    printf("SIGCHLD: %d times, code %d (CLD_CONTINUED %d), status %d\n", chld_count, chld_code, CLD_CONTINUED,
           chld_status);

    /* A stop the child takes itself, seen by waitid without being consumed, then SIGKILL while stopped. */
    show("kill SIGTSTP", kill(child, SIGTSTP));
    siginfo_t info = {0};
    show("waitid WSTOPPED|WNOWAIT", waitid(P_PID, child, &info, WSTOPPED | WNOWAIT));
    printf("  code %d, status %d\n", info.si_code, info.si_status);
    memset(&info, 0, sizeof info);
    show("waitid WSTOPPED", waitid(P_PID, child, &info, WSTOPPED));
    printf("  code %d, status %d, pid matches %d\n", info.si_code, info.si_status, info.si_pid == child);
    memset(&info, 0, sizeof info);
    show("waitid WSTOPPED|WNOHANG", waitid(P_PID, child, &info, WSTOPPED | WNOHANG));
    printf("  pid %d\n", info.si_pid);
    show("kill SIGKILL", kill(child, SIGKILL));
    r = waitpid(child, &status, 0);
    show_status("waitpid", r, status);

    /* SA_NOCLDSTOP: no SIGCHLD for stops and continues, the exit's only. A pending SIGTSTP that SIGCONT discards. */
    handle_chld(SA_NOCLDSTOP);
    chld_count = 0;
    int go[2];
    if (pipe(go) != 0) {
        return 1;
    }
    child = fork_job();
    if (child == 0) {
        sigset_t tstp, pending;
        sigemptyset(&tstp);
        sigaddset(&tstp, SIGTSTP);
        sigprocmask(SIG_BLOCK, &tstp, NULL);
        write(go[1], "x", 1);
        char c;
        read(to[0], &c, 1);
        sigpending(&pending);
        printf("child: SIGTSTP pending after SIGCONT: %d\n", sigismember(&pending, SIGTSTP));
        sigprocmask(SIG_UNBLOCK, &tstp, NULL);
        _exit(7);
    }
    char c;
    read(go[0], &c, 1);
    kill(child, SIGTSTP);
    kill(child, SIGCONT);
    write(to[1], "c", 1);
    r = waitpid(child, &status, WUNTRACED | WCONTINUED);
    show_status("waitpid after SIGTSTP, SIGCONT", r, status);
    child = fork_job();
    if (child == 0) {
        raise(SIGSTOP);
        _exit(4);
    }
    r = waitpid(child, &status, WUNTRACED);
    show_status("waitpid, SA_NOCLDSTOP", r, status);
    kill(child, SIGCONT);
    r = waitpid(child, &status, 0);
    show_status("waitpid", r, status);
    printf("SIGCHLD with SA_NOCLDSTOP: %d times, code %d\n", chld_count, chld_code);

    /* A child in a session of its own leads an orphaned group: SIGTSTP's default action is discarded there. Its child
       leads a group of its own in that session, where a grandchild stops; when that group's last parent outside it
       ends, the group is orphaned, and the stopped grandchild gets SIGHUP (then SIGCONT). */
    int hup[2];
    if (pipe(hup) != 0) {
        return 1;
    }
    child = fork();
    if (child == 0) {
        setsid();
        raise(SIGTSTP);
        printf("child: SIGTSTP discarded in an orphaned group\n");
        pid_t leader = fork();
        if (leader == 0) {
            setpgid(0, 0);
            pid_t grandchild = fork();
            if (grandchild == 0) {
                dup2(hup[1], 3);
                signal(SIGHUP, on_hup);
                raise(SIGSTOP);
                _exit(9);
            }
            int st;
            pid_t w = waitpid(grandchild, &st, WUNTRACED);
            printf("group leader: its child %s\n", w == grandchild && WIFSTOPPED(st) ? "stopped" : "?");
            _exit(0);
        }
        int st;
        waitpid(leader, &st, 0);
        close(hup[1]);
        char word[4] = {0};
        printf("child: the stopped grandchild, orphaned: %zd '%s'\n", read(hup[0], word, 3), word);
        _exit(0);
    }
    close(hup[1]);
    r = waitpid(child, &status, 0);
    show_status("waitpid, the session leader", r, status);
    return 0;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    pid_t tests = fork();
    if (tests == 0) {
        setsid();
        _exit(run_tests());
    }
    int status;
    waitpid(tests, &status, 0);
    printf("the tests' session: %s %d\n", WIFEXITED(status) ? "exited" : "killed", WIFEXITED(status)
           ? WEXITSTATUS(status) : WTERMSIG(status));
    return 0;
}
