// POSIX shared memory and a named semaphore across fork: the parent creates both, the child opens them again by name
// after the fork (the memory's mapping is then its own, at another address; glibc's sem_open hands back the inherited
// one), writes through its mapping and posts a process-shared semaphore that lies in the file while the parent waits
// on it through the parent's mapping (a futex wake from one mapping of the file to another), then the named one. Then
// what a file mapping shares with the file: pread sees the mapping's write, fstat after the unlink, msync, and the
// EACCES of a writable shared mapping of a descriptor open read-only.
#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
    char shm_name[64], sem_name[64];
    snprintf(shm_name, sizeof shm_name, "/hdbg-shmfile-%d", (int) getpid());
    snprintf(sem_name, sizeof sem_name, "/hdbg-shmsem-%d", (int) getpid());
    int fd = shm_open(shm_name, O_CREAT | O_EXCL | O_RDWR, 0600);
    if (fd < 0 || ftruncate(fd, 8192) != 0) {
        perror("shm_open");
        return 1;
    }
    char *map = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    sem_t *posted = sem_open(sem_name, O_CREAT | O_EXCL, 0600, 0);
    if (map == MAP_FAILED || posted == SEM_FAILED) {
        perror("mmap or sem_open");
        return 1;
    }
    strcpy(map, "from the parent");
    sem_t *in_file = (sem_t *) (map + 2048); // a process-shared semaphore in the file itself
    sem_init(in_file, 1, 0);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        int own_fd = shm_open(shm_name, O_RDWR, 0);
        char *own = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, own_fd, 0);
        sem_t *own_sem = sem_open(sem_name, 0);
        if (own_fd < 0 || own == MAP_FAILED || own_sem == SEM_FAILED) {
            _exit(2);
        }
        usleep(30000); // the parent is waiting in sem_wait by now
        snprintf(own + 4096, 64, "child read '%s'", own);
        *(char **) (own + 3072) = own;
        sem_post((sem_t *) (own + 2048)); // the futex word through the child's mapping, at another address
        usleep(30000);
        sem_post(own_sem); // glibc's sem_open gave the child the mapping it inherited
        _exit(0);
    }
    sem_wait(in_file);
    printf("the child posted through a mapping at another address: %s\n",
           *(char **) (map + 3072) != map ? "yes" : "no");
    sem_wait(posted);
    int status;
    waitpid(child, &status, 0);
    printf("parent reads: %s (child status %d)\n", map + 4096, WEXITSTATUS(status));

    char buffer[32] = {0};
    pread(fd, buffer, 15, 0);
    printf("pread of the file: %s\n", buffer);
    shm_unlink(shm_name);
    sem_unlink(sem_name);
    struct stat st;
    fstat(fd, &st);
    printf("after the unlink: size %ld, links %ld, regular %d\n", (long) st.st_size, (long) st.st_nlink,
           S_ISREG(st.st_mode));
    printf("msync: %d, msync with MS_ASYNC|MS_SYNC: %d\n", msync(map, 8192, MS_SYNC),
           msync(map, 8192, MS_ASYNC | MS_SYNC) == -1 ? errno : 0);

    int data = shm_open(shm_name, O_CREAT | O_EXCL | O_RDWR, 0600);
    write(data, "data", 4);
    int read_only = shm_open(shm_name, O_RDONLY, 0);
    void *denied = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, read_only, 0);
    printf("writable shared mapping of a read-only descriptor: %s\n",
           denied == MAP_FAILED ? strerror(errno) : "mapped");
    shm_unlink(shm_name);
    munmap(map, 8192);
    return 0;
}
