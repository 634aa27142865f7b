/* The seed's shared memory child (C twin of ShmChild): attach the segment SHMID and write a
 * NUL-terminated greeting at offset 0.
 *
 *   shm_child SHMID       usually started by a parent: ./jipc example shm-parent ./shm_child
 *
 * Build: gcc -O2 -Wall -o shm_child shm_child.c
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: shm_child SHMID\n"); return 2; }
    int id = atoi(argv[1]);
    struct shmid_ds ds;
    if (shmctl(id, IPC_STAT, &ds) < 0) { perror("shmctl"); return 1; }
    char *p = shmat(id, NULL, 0);
    if (p == (char *) -1) { perror("shmat"); return 1; }
    snprintf(p, ds.shm_segsz, "Hello from the C child, pid %d", (int) getpid());
    printf("child: wrote \"%s\" into shmid %d\n", p, id);
    if (shmdt(p) < 0) { perror("shmdt"); return 1; }
    return 0;
}
