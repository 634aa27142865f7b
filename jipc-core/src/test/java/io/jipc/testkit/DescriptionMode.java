package io.jipc.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.Descriptor;
import io.jipc.internal.linux.Unistd;
import io.jipc.pipe.ExitStatus;
import io.jipc.pipe.Spawn;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Another process changes {@code O_NONBLOCK} on an open file description this process shares: a C
 * program ({@code c/set_nonblock.c}, compiled by {@link Gcc}) inherits the descriptor as fd 3 and
 * sets or clears the flag on it.
 */
public final class DescriptionMode {
    private DescriptionMode() {}

    private static Path program;

    private static synchronized Path program() {
        Gcc.assumeAvailable();
        if (program == null) {
            program = Gcc.compileResource("c/set_nonblock.c");
        }
        return program;
    }

    /**
     * Has a child process set or clear {@code O_NONBLOCK} on its inherited copy of {@code d}, and
     * checks that this process sees the change.
     *
     * @param nonBlocking true to set the flag, false to clear it
     * @param d a pipe end, a queue, any descriptor
     * @throws Exception on failure
     */
    public static void setByAnotherProcess(boolean nonBlocking, Descriptor d) throws Exception {
        String what = nonBlocking ? "set" : "clear";
        ExitStatus s =
                Spawn.of(program().toString(), what, "3")
                        .fd(3, d)
                        .start()
                        .waitFor(Duration.ofSeconds(30))
                        .orElseThrow(
                                () -> new AssertionError("set_nonblock did not finish in 30 s"));
        assertTrue(s.success(), "set_nonblock " + what + ": " + s);
        int flags = Unistd.fcntl(d.fd(), Unistd.F_GETFL, 0);
        assertEquals(
                nonBlocking, (flags & Unistd.O_NONBLOCK) != 0, "the shared description's mode");
    }
}
