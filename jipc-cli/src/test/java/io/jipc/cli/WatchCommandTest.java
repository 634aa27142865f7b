package io.jipc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.internal.linux.SysV;
import io.jipc.pipe.Child;
import io.jipc.pipe.ExitStatus;
import io.jipc.pipe.Spawn;
import io.jipc.sysv.SysvKind;
import io.jipc.sysv.SysvObjects;
import io.jipc.testkit.ChildJvm;
import io.jipc.testkit.Processes;
import io.jipc.testkit.ThreadStates;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** {@code jipc watch}: one line per tick in a pipe, a redrawn screen in a real terminal (tmux). */
class WatchCommandTest {
    static final Duration WAIT = ThreadStates.WAIT;

    /** SIGINT's number on Linux, signal(7). */
    static final int SIGINT = 2;

    /** A private queue holding {@code n} messages of 4 bytes. */
    static int queueWith(int n) {
        int q = SysV.msgget(SysV.IPC_PRIVATE, SysV.IPC_CREAT | 0600);
        assertTrue(q >= 0);
        for (int i = 0; i < n; i++) {
            send(q);
        }
        return q;
    }

    static void send(int q) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocate(16);
            m.set(ValueLayout.JAVA_LONG, 0, 1);
            m.setString(8, "abc");
            assertEquals(0, SysV.msgsnd(q, m, 4, 0));
        }
    }

    static String read(Path p) {
        try {
            return Files.exists(p) ? String.join("\n", Files.readAllLines(p)) : "";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void in_a_pipe_each_tick_is_one_line_and_count_ends_it() throws Exception {
        int q = queueWith(2);
        try {
            CliRunner.Run r =
                    CliRunner.run(
                            "watch", "msg", "--id", "" + q, "--count", "3", "--interval", "20ms");
            assertEquals(0, r.exit(), r.err());
            List<String> lines = r.out().lines().toList();
            assertEquals(3, lines.size(), r.out());
            for (String l : lines) {
                assertTrue(
                        l.matches(
                                "\\d\\d:\\d\\d:\\d\\d msg 0x00000000 id "
                                        + q
                                        + " messages=2 bytes=8/\\d+"),
                        l);
            }
            CliRunner.Run none = CliRunner.run("watch", "sem", "--id", "" + q, "--count", "1");
            assertEquals(3, none.exit(), "a msqid names no semaphore set: " + none.out());
            assertEquals(2, CliRunner.run("watch", "--interval", "1ms", "--count", "1").exit());
            assertEquals(2, CliRunner.run("watch", "--count", "0").exit());
        } finally {
            SysvObjects.remove(SysvKind.MSG, q);
        }
    }

    @Test
    void a_watched_object_that_is_removed_ends_the_watch_with_a_line() throws Exception {
        int q = queueWith(1);
        java.io.ByteArrayOutputStream out =
                new java.io.ByteArrayOutputStream() {
                    @Override
                    public synchronized String toString() {
                        return toString(java.nio.charset.StandardCharsets.UTF_8);
                    }
                };
        int[] exit = {-1};
        String[] args = {"watch", "msg", "--id", "" + q, "--interval", "20ms"};
        Thread t =
                Thread.ofPlatform()
                        .start(
                                () ->
                                        exit[0] =
                                                Main.run(
                                                        args,
                                                        java.io.InputStream.nullInputStream(),
                                                        out,
                                                        java.io.OutputStream.nullOutputStream()));
        try {
            ThreadStates.await(() -> out.toString().contains("messages=1"), () -> "a first tick");
            send(q);
            ThreadStates.await(
                    () -> out.toString().contains("messages=2"), () -> "the new message seen");
        } finally {
            SysvObjects.remove(SysvKind.MSG, q);
        }
        t.join(WAIT.toMillis());
        assertEquals(0, exit[0], out.toString());
        assertTrue(
                out.toString()
                        .strip()
                        .lines()
                        .reduce((a, b) -> b)
                        .orElseThrow()
                        .matches("\\d\\d:\\d\\d:\\d\\d gone: msg id " + q + " was removed"),
                out.toString());
    }

    @Test
    void ctrl_c_in_a_pipe_exits_130_without_a_stack_trace(@TempDir Path dir) throws Exception {
        int q = queueWith(0);
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        // Started by jipc's Spawn, which gives the child every signal at its default disposition: a
        // build that inherited an ignored SIGINT (nohup, `mvn verify &`, CI runners) would pass it
        // on through ProcessBuilder, and a JVM started with SIGINT ignored installs no handler.
        Child c =
                Spawn.of(
                                ChildJvm.command(
                                        Main.class,
                                        "watch",
                                        "msg",
                                        "--id",
                                        "" + q,
                                        "--interval",
                                        "100ms"))
                        .stdin(Path.of("/dev/null"))
                        .stdout(out)
                        .stderr(err)
                        .start();
        try {
            Supplier<String> describe =
                    () -> c + "\n--- stdout ---\n" + read(out) + "\n--- stderr ---\n" + read(err);
            ThreadStates.await(
                    () -> read(out).contains("messages=0"),
                    () -> "the child's first tick: " + describe.get());
            c.signal(SIGINT);
            ExitStatus status =
                    c.waitFor(WAIT)
                            .orElseThrow(
                                    () ->
                                            new AssertionError(
                                                    "no exit within "
                                                            + WAIT
                                                            + ": "
                                                            + describe.get()));
            assertEquals(130, status.code(), describe.get());
            assertEquals("", read(err), "no stack trace");
        } finally {
            c.destroyForcibly();
            c.waitFor(WAIT);
            SysvObjects.remove(SysvKind.MSG, q);
        }
    }

    @Test
    void in_a_real_terminal_it_redraws_one_screen_and_ctrl_c_quits(@TempDir Path dir)
            throws Exception {
        Assumptions.assumeTrue(
                Processes.run(WAIT, "sh", "-c", "command -v tmux").exitCode() == 0,
                "tmux is not installed (apt-get install tmux)");
        int q = queueWith(2);
        String socket =
                dir.resolve("tmux.sock").toString(); // private server, removed with the directory
        Path exit = dir.resolve("exit");
        String cmd =
                ChildJvm.command(Main.class, "watch", "msg", "--interval", "200ms").stream()
                                .map(a -> "'" + a.replace("'", "'\\''") + "'")
                                .collect(Collectors.joining(" "))
                        + "; echo $? > '"
                        + exit
                        + "'";
        try {
            Processes.run(
                            WAIT,
                            "tmux",
                            "-S",
                            socket,
                            "-f",
                            "/dev/null",
                            "new-session",
                            "-d",
                            "-x",
                            "160",
                            "-y",
                            "40",
                            "bash",
                            "-c",
                            "trap true INT; " + cmd)
                    .assertExit(0);
            String[] screen = {""};
            BooleanSupplier shows =
                    () -> {
                        screen[0] =
                                Processes.run(WAIT, "tmux", "-S", socket, "capture-pane", "-p")
                                        .stdout();
                        return screen[0]
                                .lines()
                                .anyMatch(
                                        l ->
                                                l.matches(
                                                        "0x00000000\\s+"
                                                                + q
                                                                + "\\s+\\S+\\s+600\\s+3\\s+12\\b.*"));
                    };
            ThreadStates.await(
                    () -> {
                        screen[0] =
                                Processes.run(WAIT, "tmux", "-S", socket, "capture-pane", "-p")
                                        .stdout();
                        return screen[0]
                                .lines()
                                .anyMatch(
                                        l ->
                                                l.matches(
                                                        "0x00000000\\s+"
                                                                + q
                                                                + "\\s+\\S+\\s+600\\s+2\\s+8\\b.*"));
                    },
                    () -> "the queue on screen: " + screen[0]);
            assertTrue(
                    screen[0]
                            .lines()
                            .findFirst()
                            .orElseThrow()
                            .startsWith("jipc watch  every 200ms"),
                    screen[0]);
            send(q);
            ThreadStates.await(
                    shows, () -> "the third message on screen after a refresh: " + screen[0]);
            assertEquals(
                    1,
                    screen[0].lines().filter(l -> l.startsWith("jipc watch")).count(),
                    "the screen is redrawn, not scrolled: " + screen[0]);
            assertEquals(
                    1,
                    screen[0].lines().filter(l -> l.startsWith("Message queues")).count(),
                    screen[0]);
            Processes.run(WAIT, "tmux", "-S", socket, "send-keys", "C-c").assertExit(0);
            ThreadStates.await(
                    () -> read(exit).strip().equals("130"),
                    () -> "exit status 130 after Ctrl-C, got '" + read(exit) + "'");
        } finally {
            Processes.run(WAIT, "tmux", "-S", socket, "kill-server");
            SysvObjects.remove(SysvKind.MSG, q);
        }
    }
}
