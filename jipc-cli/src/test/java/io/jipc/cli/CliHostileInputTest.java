package io.jipc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.testkit.ChildJvm;
import io.jipc.testkit.Processes;
import io.jipc.testkit.SysvSnapshot;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every subcommand fed hostile input, each in a child process with real standard streams: the exit
 * code is the documented one (2 for a bad value, 1 for a failure), stderr is exactly one line
 * naming the command, there is no stack trace, nothing goes to stdout, and no System V object was
 * created, changed or removed.
 */
class CliHostileInputTest {
    static final Duration WAIT = Duration.ofSeconds(60);

    static Stream<Arguments> cases() {
        return Stream.of(
                c(2, "mq", "recv", "--id", "-1"),
                c(2, "mq", "recv", "--key", "0xZZ"),
                c(2, "mq", "recv", "--key", "0x123456789"),
                c(2, "mq", "recv", "--id", "0", "--count", "0"),
                c(2, "mq", "recv", "--id", "0", "--timeout", "soon"),
                c(2, "mq", "recv", "--id", "0", "--timeout", "-2s"),
                c(2, "mq", "recv", "--id", "0", "--struct", "int x[;"),
                c(2, "mq", "recv", "--id", "0", "--format", "bogus"),
                c(2, "mq", "recv", "--path", "/etc/services", "--proj", "gg"),
                c(1, "mq", "recv", "--path", "", "--proj", "g"),
                c(2, "mq", "peek", "--id", "0", "--index", "-1"),
                c(2, "mq", "send", "--key", "0x1", "--type", "0", "--text", "x"),
                c(2, "mq", "send", "--id", "0", "--type", "1", "--hex", "abc"),
                c(1, "mq", "send", "--id", "0", "--type", "1", "--file", "/nonexistent/body"),
                c(2, "mq", "create", "--key", "0x1", "--mode", "0999"),
                c(2, "mq", "create", "--key", "0x1", "-m", "rwx"),
                c(2, "mq", "create", "--id", "3"),
                c(1, "mq", "stat", "--id", "2147483647"),
                c(2, "sem", "create", "--key", "0", "--nsems", "0"),
                c(2, "sem", "create", "--key", "0", "--nsems", "-1"),
                c(2, "sem", "create", "--key", "0", "--nsems", "2", "--values", "1,x"),
                c(2, "sem", "create", "--key", "0", "--nsems", "2", "--values", "-1,0"),
                c(2, "sem", "op", "--id", "0", "--ops", "0:+x"),
                c(2, "sem", "op", "--id", "0", "--ops", "99999999999:1"),
                c(2, "shm", "create", "--key", "0", "--size", "-5"),
                c(2, "shm", "create", "--key", "0", "--size", "1e9"),
                c(2, "shm", "create", "--key", "0", "--size", "0"),
                c(2, "shm", "read", "--id", "0", "--offset", "zz"),
                c(1, "key", "", "g"),
                c(1, "key", "/nonexistent", "g"),
                c(2, "key", "/etc/services", "0"),
                c(2, "key", "/etc/services", "256"),
                c(1, "fifo", "create", "/nonexistent/dir/f"),
                c(1, "fifo", "rm", "/etc/services"),
                c(2, "fifo", "create", "/tmp/jipc-never-made", "-m", "01777"),
                c(2, "ls", "--owner", "nosuchuser"),
                c(2, "ls", "bogus"),
                c(2, "rm", "--key", "0"),
                c(2, "rm"),
                c(2, "rm", "--id", "-3"),
                c(2, "watch", "--interval", "0"),
                c(2, "watch", "--interval", "1d"),
                c(2, "bench", "--json", "/nonexistent/x.json"),
                c(2, "example", "mq-sender", "Alan", "notanumber", "85"),
                c(2, "example", "nosuch"),
                c(2, "example", "sem-counter", "extra", "args"),
                c(2, "example", "udp-sender", "notaport"),
                c(2, "--bogus"));
    }

    private static Arguments c(int exit, String... args) {
        return Arguments.of(exit, List.of(args));
    }

    @ParameterizedTest(name = "{1} exits {0}")
    @MethodSource("cases")
    void hostile_input_is_one_line_and_the_documented_exit_code(int exit, List<String> args) {
        SysvSnapshot before = SysvSnapshot.take();
        Processes.Result r;
        try (Processes.Child c =
                Processes.start(ChildJvm.command(Main.class, args.toArray(String[]::new)))) {
            r = c.await(WAIT);
        }
        String what = args + ": " + r.stderr();
        assertEquals(exit, r.exitCode(), what);
        assertEquals(1, r.stderr().lines().count(), "one line: " + what);
        String expectedPrefix =
                "jipc" + (args.getFirst().startsWith("-") ? "" : " " + args.getFirst());
        assertTrue(r.stderr().startsWith(expectedPrefix), what);
        assertFalse(
                r.stderr().contains("\tat ") || r.stderr().contains("Exception"),
                "no stack trace: " + what);
        if (exit == 2) {
            assertTrue(r.stderr().contains("--help"), "a usage error points to --help: " + what);
        }
        assertEquals("", r.stdout(), what);
        assertEquals(before, SysvSnapshot.take(), "nothing changed in the kernel: " + what);
        assertFalse(
                Arrays.asList(args.toArray()).contains("/tmp/jipc-never-made")
                        && java.nio.file.Files.exists(
                                java.nio.file.Path.of("/tmp/jipc-never-made")));
    }
}
