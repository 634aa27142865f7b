package io.jipc.internal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jipc.testkit.Gcc;
import io.jipc.testkit.Processes;

import org.junit.jupiter.api.Test;

import java.time.Duration;

/**
 * The opaque spawn types are allocated by sizes that must equal gcc's sizeof, and the constants its
 * values.
 */
class PosixSpawnSizesTest {
    @Test
    void sizes_and_constants_match_gcc() {
        var exe =
                Gcc.compileSource(
                        "spawn_probe",
                        """
                #define _GNU_SOURCE
                #include <stdio.h>
                #include <spawn.h>
                #include <signal.h>
                #include <fcntl.h>
                #include <limits.h>
                #include <sys/wait.h>
                int main(void) {
                    printf("%zu %zu %zu %zu %d %d %d %d %d %d\\n", sizeof(posix_spawn_file_actions_t),
                           sizeof(posix_spawnattr_t), sizeof(sigset_t), sizeof(siginfo_t),
                           POSIX_SPAWN_SETSIGDEF, POSIX_SPAWN_SETSIGMASK, P_PID, WEXITED, WNOWAIT, WNOHANG);
                    printf("%d %d %d %d %d %d %d %d %d %d %d\\n", O_RDONLY, O_WRONLY, O_RDWR, O_NONBLOCK, O_CLOEXEC,
                           F_GETFL, F_SETFL, F_SETPIPE_SZ, F_GETPIPE_SZ, FD_CLOEXEC, PIPE_BUF);
                    return 0;
                }
                """);
        String out = Processes.run(Duration.ofSeconds(30), exe.toString()).assertExit(0).stdout();
        String expected =
                PosixSpawn.SIZEOF_FILE_ACTIONS
                        + " "
                        + PosixSpawn.SIZEOF_SPAWNATTR
                        + " "
                        + PosixSpawn.SIZEOF_SIGSET
                        + " "
                        + PosixSpawn.SIZEOF_SIGINFO
                        + " "
                        + PosixSpawn.POSIX_SPAWN_SETSIGDEF
                        + " "
                        + PosixSpawn.POSIX_SPAWN_SETSIGMASK
                        + " "
                        + PosixSpawn.P_PID
                        + " "
                        + PosixSpawn.WEXITED
                        + " "
                        + PosixSpawn.WNOWAIT
                        + " "
                        + PosixSpawn.WNOHANG
                        + "\n"
                        + Unistd.O_RDONLY
                        + " "
                        + Unistd.O_WRONLY
                        + " "
                        + Unistd.O_RDWR
                        + " "
                        + Unistd.O_NONBLOCK
                        + " "
                        + Unistd.O_CLOEXEC
                        + " "
                        + Unistd.F_GETFL
                        + " "
                        + Unistd.F_SETFL
                        + " "
                        + Unistd.F_SETPIPE_SZ
                        + " "
                        + Unistd.F_GETPIPE_SZ
                        + " "
                        + Unistd.FD_CLOEXEC
                        + " "
                        + Unistd.PIPE_BUF
                        + "\n";
        assertEquals(expected, out);
    }
}
