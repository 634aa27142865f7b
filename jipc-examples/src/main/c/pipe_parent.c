/* C twin of `jipc example pipe-parent`: the parent writes three lines into a pipe; the child
 * reads them and prints them. With arguments, the child runs that program with the read end
 * as descriptor 3 (e.g. ./pipe_parent ./pipe_child).
 * Build: gcc -O2 -Wall -o pipe_parent pipe_parent.c */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
    int fd[2];
    if (pipe2(fd, O_CLOEXEC) < 0) { perror("pipe2"); return 1; }
    pid_t pid = fork();
    if (pid < 0) { perror("fork"); return 1; }
    if (pid == 0) {
        close(fd[1]);
        if (argc > 1) {
            /* dup2 gives a copy without FD_CLOEXEC, but dup2(3, 3) does nothing: clear the flag then. */
            if (fd[0] == 3 ? fcntl(3, F_SETFD, 0) < 0 : dup2(fd[0], 3) < 0) { perror("dup2"); _exit(127); }
            execvp(argv[1], argv + 1);
            perror("execvp");
            _exit(127);
        }
        char buf[4096];
        ssize_t n;
        while ((n = read(fd[0], buf, sizeof buf)) > 0) {
            printf("child %d read: %.*s", (int) getpid(), (int) n, buf);
        }
        printf("child: end of file, every writer closed\n");
        _exit(0);
    }
    close(fd[0]);
    printf("parent %d: started child %d\n", (int) getpid(), (int) pid);
    fflush(stdout);
    for (int i = 1; i <= 3; i++) {
        char line[128];
        int len = snprintf(line, sizeof line, "message %d from parent %d\n", i, (int) getpid());
        if (write(fd[1], line, len) != len) { perror("write"); return 1; }
    }
    close(fd[1]);
    int status;
    if (waitpid(pid, &status, 0) < 0) { perror("waitpid"); return 1; }
    printf("parent: child exited with code %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
