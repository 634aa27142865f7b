package io.jipc.pipe;

import static io.jipc.pipe.PipeTest.await;
import static io.jipc.pipe.PipeTest.drain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Children that inherit chosen descriptors and nothing else; waiting, destroying, reaping. */
class SpawnTest {

    /** fd number -> what it refers to ("pipe:[123]"), from /proc/PID/fd. */
    static Map<Integer, String> descriptors(long pid) throws IOException {
        Map<Integer, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.list(Path.of("/proc", "" + pid, "fd"))) {
            for (Path p : s.toList()) {
                m.put(
                        Integer.parseInt(p.getFileName().toString()),
                        Files.readSymbolicLink(p).toString());
            }
        }
        return m;
    }

    /**
     * Waits until {@code sleep} sits in clock_nanosleep (syscall 230), i.e. the dynamic loader has
     * finished and closed what it opened; only then is the descriptor table the program's own.
     */
    static Child settled(Child c) throws Exception {
        io.jipc.testkit.ThreadStates.awaitInSyscall(c.pid(), c.pid(), 230);
        return c;
    }

    static String self(PipeEnd end) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/self/fd/" + end.fd())).toString();
    }

    @Test
    void the_child_has_exactly_the_descriptors_asked_for_at_the_numbers_asked_for()
            throws Exception {
        try (Pipe a = Pipe.open();
                Pipe b = Pipe.open()) {
            Child c =
                    Spawn.of("sleep", "60")
                            .stdin(a.source())
                            .fd(3, b.sink())
                            .fd(7, b.source())
                            .inheritStdio(false)
                            .start();
            try {
                settled(c);
                Map<Integer, String> fds = descriptors(c.pid());
                assertEquals(Set.of(0, 3, 7), fds.keySet(), fds.toString());
                assertEquals(self(a.source()), fds.get(0));
                assertEquals(self(b.sink()), fds.get(3));
                assertEquals(self(b.source()), fds.get(7));
                assertTrue(fds.get(0).startsWith("pipe:["), fds.toString());
            } finally {
                c.destroyForcibly();
                await(c);
            }
            // With stdio inherited: 0 is still the chosen one, 1 and 2 are the JVM's own.
            Child d = Spawn.of("sleep", "60").stdin(a.source()).fd(3, b.sink()).start();
            try {
                settled(d);
                Map<Integer, String> fds = descriptors(d.pid());
                assertEquals(Set.of(0, 1, 2, 3), fds.keySet(), fds.toString());
                assertEquals(
                        Files.readSymbolicLink(Path.of("/proc/self/fd/1")).toString(), fds.get(1));
                assertEquals(self(a.source()), fds.get(0));
            } finally {
                d.destroyForcibly();
                await(d);
            }
        }
    }

    @Test
    void mappings_may_swap_descriptor_numbers() throws Exception {
        try (Pipe a = Pipe.open();
                Pipe b = Pipe.open()) {
            int x = a.source().fd();
            int y = b.sink().fd();
            // a's read end goes to b's write end's number and the other way round.
            Child c =
                    Spawn.of("sleep", "60")
                            .fd(y, a.source())
                            .fd(x, b.sink())
                            .inheritStdio(false)
                            .start();
            try {
                settled(c);
                Map<Integer, String> fds = descriptors(c.pid());
                assertEquals(new TreeSet<>(List.of(x, y)), fds.keySet(), fds.toString());
                assertEquals(self(a.source()), fds.get(y));
                assertEquals(self(b.sink()), fds.get(x));
            } finally {
                c.destroyForcibly();
                await(c);
            }
        }
    }

    @Test
    void the_child_starts_with_no_blocked_and_no_ignored_application_signals() throws Exception {
        Child c = Spawn.of("sleep", "60").start();
        try {
            Map<String, String> status = new TreeMap<>();
            for (String line : Files.readAllLines(Path.of("/proc/" + c.pid() + "/status"))) {
                String[] kv = line.split(":\\s*", 2);
                status.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
            assertEquals("0000000000000000", status.get("SigBlk"), status.toString());
            // glibc's posix_spawn leaves only its own reserved signals 32 and 33 ignored (the JDK's
            // children get the same); no application signal may be ignored.
            long ignored = Long.parseUnsignedLong(status.get("SigIgn"), 16);
            assertEquals(0L, ignored & ~0x180000000L, status.toString());
            assertEquals("" + ProcessHandle.current().pid(), status.get("PPid"));
        } finally {
            c.destroyForcibly();
            await(c);
        }
    }

    @Test
    void exit_codes_signals_timeouts_and_no_zombie_left() throws Exception {
        Child seven = Spawn.of("sh", "-c", "exit 7").start();
        ExitStatus st = await(seven);
        assertEquals(new ExitStatus(7, 0), st);
        assertFalse(st.success());
        assertFalse(seven.isAlive());
        Child sleeper = Spawn.of("sleep", "60").start();
        assertTrue(sleeper.waitFor(Duration.ofMillis(100)).isEmpty());
        assertTrue(sleeper.isAlive());
        sleeper.destroy();
        assertEquals(15, await(sleeper).signal());
        assertEquals("killed by signal 15", sleeper.onExit().get(10, TimeUnit.SECONDS).toString());
        sleeper.destroy(); // after the end: does nothing
        // Reaped: no zombie with our pid as parent is left.
        for (Child c : List.of(seven, sleeper)) {
            Path status = Path.of("/proc/" + c.pid() + "/status");
            if (Files.exists(status)) {
                List<String> lines;
                try {
                    lines = Files.readAllLines(status);
                } catch (NoSuchFileException gone) {
                    continue;
                }
                assertFalse(
                        lines.contains("PPid:\t" + ProcessHandle.current().pid())
                                && lines.stream()
                                        .anyMatch(l -> l.startsWith("State:") && l.contains("Z")),
                        "zombie left: " + lines);
            }
        }
    }

    @Test
    void a_child_nobody_waits_for_is_reaped_anyway() throws Exception {
        Child c = Spawn.of("true").start();
        Path proc = Path.of("/proc/" + c.pid());
        io.jipc.testkit.ThreadStates.await(
                () -> !Files.exists(proc),
                () -> "child " + c.pid() + " gone from /proc (not left a zombie)");
        assertTrue(c.onExit().get(60, TimeUnit.SECONDS).success());
    }

    @Test
    void the_JDKs_own_children_are_never_reaped_by_jipc() throws Exception {
        Process jdkChild = new ProcessBuilder("sh", "-c", "sleep 0.3; exit 3").start();
        Child ours = Spawn.of("sh", "-c", "sleep 0.5; exit 4").start();
        assertEquals(4, await(ours).code());
        assertTrue(jdkChild.waitFor(60, TimeUnit.SECONDS));
        assertEquals(3, jdkChild.exitValue());
    }

    @Test
    void environment_and_working_directory_are_inherited_unless_changed() throws Exception {
        try (Pipe out = Pipe.open()) {
            Spawn s =
                    Spawn.of("sh", "-c", "echo \"$JIPC_TEST_VAR\"; pwd")
                            .stdout(out.sink())
                            .directory(Path.of("/tmp"));
            s.environment().put("JIPC_TEST_VAR", "bar baz");
            Child c = s.start();
            out.sink().close();
            assertEquals(
                    "bar baz\n/tmp\n",
                    new String(drain(out.source(), PipeTest.LONG, c), StandardCharsets.UTF_8));
            assertTrue(await(c).success());
        }
        try (Pipe out = Pipe.open()) {
            Child c = Spawn.of("sh", "-c", "pwd").stdout(out.sink()).start();
            out.sink().close();
            assertEquals(
                    Path.of("").toAbsolutePath() + "\n",
                    new String(drain(out.source(), PipeTest.LONG, c), StandardCharsets.UTF_8));
            await(c);
        }
    }

    @Test
    void a_missing_program_or_a_closed_end_fails_before_any_child_exists() throws Exception {
        NoSuchFileException e =
                assertThrows(
                        NoSuchFileException.class, () -> Spawn.of("no-such-program-jipc").start());
        assertTrue(e.getMessage().contains("PATH"), e.getMessage());
        assertThrows(NoSuchFileException.class, () -> Spawn.of("/no/such/program").start());
        Pipe p = Pipe.open();
        p.close();
        assertThrows(
                IllegalArgumentException.class, () -> Spawn.of("true").stdin(p.source()).start());
    }
}
