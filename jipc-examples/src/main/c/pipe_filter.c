/* C twin of `jipc example pipe-filter`: pipes lines into md5sum (or the program given) and
 * prints what it wrote back.
 * Build: gcc -O2 -Wall -o pipe_filter pipe_filter.c      Run: ./pipe_filter [PROGRAM ARGS...] */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char INPUT[] = "pear\napple\nfig\nbanana\ncherry\n";

int main(int argc, char **argv) {
    int in[2], out[2];
    if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0) { perror("pipe2"); return 1; }
    pid_t pid = fork();
    if (pid < 0) { perror("fork"); return 1; }
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        char *md5[] = {"md5sum", NULL};
        char **cmd = argc > 1 ? argv + 1 : md5;
        execvp(cmd[0], cmd);
        perror("execvp");
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    if (write(in[1], INPUT, strlen(INPUT)) < 0) { perror("write"); return 1; }
    close(in[1]);
    char buf[4096];
    ssize_t n;
    while ((n = read(out[0], buf, sizeof buf)) > 0) {
        fwrite(buf, 1, n, stdout);
    }
    int status;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
