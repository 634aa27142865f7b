/* The seed's shared memory parent (C twin of ShmParent): create a private segment, start a
 * child that writes a greeting into it, wait for the child, read the greeting, remove the segment.
 *
 *   shm_parent                    fork a child that writes the greeting itself (the seed's way)
 *   shm_parent CMD [ARGS...]      run CMD ARGS... SHMID as the child, e.g. ./jipc example shm-child
 *
 * Build: gcc -O2 -Wall -o shm_parent shm_parent.c
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#define SIZE 4096

int main(int argc, char **argv) {
    int id = shmget(IPC_PRIVATE, SIZE, IPC_CREAT | 0600);
    if (id < 0) { perror("shmget"); return 1; }
    printf("parent: created shmid %d (%d bytes)\n", id, SIZE);
    fflush(stdout);
    int status = 1;
    pid_t pid = fork();
    if (pid < 0) { perror("fork"); shmctl(id, IPC_RMID, NULL); return 1; }
    if (pid == 0) {
        if (argc > 1) {
            char ids[16];
            snprintf(ids, sizeof ids, "%d", id);
            char **cmd = calloc(argc + 1, sizeof *cmd);
            for (int i = 1; i < argc; i++) cmd[i - 1] = argv[i];
            cmd[argc - 1] = ids;
            execvp(cmd[0], cmd);
            perror("execvp");
            _exit(127);
        }
        char *p = shmat(id, NULL, 0);
        if (p == (char *) -1) { perror("shmat"); _exit(1); }
        snprintf(p, SIZE, "Hello from the C child, pid %d", (int) getpid());
        printf("child: wrote \"%s\" into shmid %d\n", p, id);
        fflush(stdout); /* _exit does not flush stdio buffers */
        shmdt(p);
        _exit(0);
    }
    if (waitpid(pid, &status, 0) < 0) { perror("waitpid"); status = 1; }
    int rc = 1;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        char *p = shmat(id, NULL, SHM_RDONLY);
        if (p == (char *) -1) {
            perror("shmat");
        } else {
            printf("parent: the child wrote: %.*s\n", SIZE, p);
            shmdt(p);
            rc = 0;
        }
    } else {
        fprintf(stderr, "parent: the child failed (status 0x%x)\n", status);
    }
    if (shmctl(id, IPC_RMID, NULL) < 0) { perror("shmctl"); rc = 1; }
    printf("parent: removed shmid %d\n", id);
    return rc;
}
