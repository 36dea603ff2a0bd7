/* Children killed by their own CPU faults, as the kernel kills them: only the child dies, its parent sees the signal
 * in waitpid and gets SIGCHLD, and the other processes go on. With no argument, a parent forks a bystander that waits
 * on a pipe, then one child per fault (a NULL store, ud2, a division by zero, int3, a worker thread's NULL load while
 * the child's main thread waits in pthread_join) and prints what waitpid says of each; then it wakes the bystander,
 * which answers, and exits 0. With "segv", the program itself stores through NULL (a shell's child: status 139).
 * Each faulting process sets RLIMIT_CORE to 0 first, so that WCOREDUMP does not depend on the caller's ulimit -c.
 * ChildFaultsIT. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t sigchld;
static volatile int zero, one = 1; /* both volatile: gcc turns 1 / x into compares */
static volatile int *volatile nowhere;

static void on_sigchld(int signal) {
    (void) signal;
    sigchld++;
}

static void no_core(void) {
    struct rlimit none = {0, 0};
    setrlimit(RLIMIT_CORE, &none);
}

static void *worker(void *arg) {
    (void) arg;
    return (void *) (long) *nowhere;
}

static void fault(const char *kind) {
    no_core();
    if (strcmp(kind, "null") == 0) {
        *nowhere = 1;
    } else if (strcmp(kind, "ud2") == 0) {
        __asm__ volatile("ud2");
    } else if (strcmp(kind, "div0") == 0) {
        printf("%d\n", one / zero);
    } else if (strcmp(kind, "int3") == 0) {
        __asm__ volatile("int3");
    } else if (strcmp(kind, "thread") == 0) {
        pthread_t t;
        void *result;
        if (pthread_create(&t, NULL, worker, NULL) == 0) {
            pthread_join(t, &result);
        }
    }
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "segv") == 0) {
        fault("null");
        return 1;
    }
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_sigchld;
    sigaction(SIGCHLD, &action, NULL);
    int ask[2], answer[2];
    if (pipe(ask) != 0 || pipe(answer) != 0) {
        return 90;
    }
    pid_t bystander = fork();
    if (bystander == 0) {
        char c;
        close(ask[1]);
        if (read(ask[0], &c, 1) == 1) {
            write(answer[1], "alive", 5);
        }
        _exit(0);
    }
    close(ask[0]);
    close(answer[1]);
    const char *kinds[] = {"null", "ud2", "div0", "int3", "thread"};
    for (unsigned i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            fault(kinds[i]);
            _exit(99); /* only if the fault did not kill */
        }
        int status;
        pid_t waited;
        do {
            waited = waitpid(pid, &status, 0);
        } while (waited < 0);
        printf("%s: waitpid %s, WIFEXITED %d, WIFSIGNALED %d, WTERMSIG %d (%s), WCOREDUMP %d\n", kinds[i],
               waited == pid ? "found it" : "failed", WIFEXITED(status), WIFSIGNALED(status),
               WIFSIGNALED(status) ? WTERMSIG(status) : 0,
               WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) : "-", WCOREDUMP(status) ? 1 : 0);
    }
    char reply[8] = {0};
    write(ask[1], "?", 1);
    ssize_t n = read(answer[0], reply, sizeof reply - 1);
    int status;
    waitpid(bystander, &status, 0);
    printf("bystander: %s (%zd bytes), exited %d\n", reply, n, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    printf("SIGCHLD seen: %s\n", sigchld > 0 ? "yes" : "no");
    return 0;
}
