package io.jipc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.pipe.Fifo;
import io.jipc.sysv.MessageQueue;
import io.jipc.sysv.SharedMemory;
import io.jipc.testkit.ChildJvm;
import io.jipc.testkit.Processes;
import io.jipc.testkit.ThreadStates;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code jipc mq recv} and the commands that read input do when their real standard streams
 * fail, in child processes (real descriptors, nothing swapped): no message is taken that cannot be
 * delivered, a lost one is named, input is read no further than the limit. Each case checks what is
 * still on the queue (or in the segment) afterwards.
 */
class MqDataLossTest {
    static final Duration WAIT = Duration.ofSeconds(60);

    private MessageQueue q;

    @BeforeEach
    void queue() throws Exception {
        q = MessageQueue.createPrivate(0600);
    }

    @AfterEach
    void remove() throws Exception {
        q.remove();
    }

    private void send(int n) throws Exception {
        for (int i = 1; i <= n; i++) {
            q.send(4 + i, ("m" + i).repeat(i).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** bash -c SCRIPT, with "$@" the jipc command line in a child JVM. */
    static List<String> bash(String script, String... jipcArgs) {
        List<String> cmd = new ArrayList<>(List.of("bash", "-c", script, "jipc"));
        cmd.addAll(ChildJvm.command(Main.class, jipcArgs));
        return cmd;
    }

    static Processes.Result run(List<String> cmd) {
        try (Processes.Child c = Processes.start(cmd)) {
            return c.await(WAIT);
        }
    }

    private String id() {
        return Integer.toString(q.id());
    }

    @Test
    void a_closed_stdout_takes_nothing() throws Exception {
        send(3);
        Processes.Result r =
                run(bash("exec \"$@\" >&-", "mq", "recv", "--id", id(), "--count", "3"));
        assertEquals(1, r.exitCode(), r.stderr());
        assertEquals(
                "jipc mq recv: standard output is not open for writing; stopped before taking a message\n",
                r.stderr());
        assertEquals(3, q.status().messages(), "all three are still queued");
    }

    @Test
    void a_pipe_whose_reader_has_gone_takes_nothing_and_exits_141() throws Exception {
        send(3);
        // stdout is a pipe whose only reader (a process substitution) has exited
        Processes.Result r =
                run(
                        bash(
                                "exec > >(exit 0); wait $!; \"$@\"",
                                "mq",
                                "recv",
                                "--id",
                                id(),
                                "--count",
                                "3"));
        assertEquals(141, r.exitCode(), r.stderr());
        assertEquals(
                "jipc mq recv: the reader of standard output is gone; stopped before taking a message\n",
                r.stderr());
        assertEquals(3, q.status().messages());
    }

    /**
     * Runs {@code mq recv --count N} into a pipe whose reader waits for a line on a FIFO and then
     * exits without reading; the line is written once recv waits in msgrcv.
     */
    private Processes.Result recvUntilTheReaderGoes(Path dir, int count) throws Exception {
        Path stop = dir.resolve("stop");
        Fifo.create(stop, 0600);
        List<String> cmd =
                bash(
                        "set -o pipefail; \"$@\" | (read -r _ < \"" + stop + "\")",
                        "mq",
                        "recv",
                        "--id",
                        id(),
                        "--count",
                        Integer.toString(count));
        try (Processes.Child c = Processes.start(cmd)) {
            long java = awaitJava(c);
            ThreadStates.awaitAnyBlockedIn(java, "do_msgrcv");
            Files.writeString(stop, "go\n");
            return c.await(WAIT);
        }
    }

    @Test
    void a_reader_that_goes_while_recv_waits_ends_it_at_once_and_nothing_is_taken(@TempDir Path dir)
            throws Exception {
        Processes.Result r = recvUntilTheReaderGoes(dir, 2);
        assertEquals(141, r.exitCode(), r.stderr());
        assertEquals(
                "jipc mq recv: the reader of standard output is gone; stopped before taking a message\n",
                r.stderr());
        send(1);
        assertEquals(1, q.status().messages(), "recv is gone and took nothing");
        assertEquals(0, q.status().lastReceivePid());
    }

    @Test
    void a_reader_that_goes_after_a_message_was_written_is_told_how_many_were_written(
            @TempDir Path dir) throws Exception {
        send(1); // goes into the pipe, which its reader then leaves unread
        Processes.Result r = recvUntilTheReaderGoes(dir, 3);
        assertEquals(141, r.exitCode(), r.stderr());
        assertEquals(
                "jipc mq recv: the reader of standard output is gone; stopped before taking a message"
                        + " (1 written to it, read or not)\n",
                r.stderr());
        send(1);
        assertEquals(1, q.status().messages(), "nothing taken after the reader went");
    }

    @Test
    void a_device_that_fails_writes_loses_one_message_which_is_named_and_recv_stops()
            throws Exception {
        send(3);
        Processes.Result r =
                run(bash("exec \"$@\" > /dev/full", "mq", "recv", "--id", id(), "--count", "3"));
        assertEquals(1, r.exitCode(), r.stderr());
        assertEquals(
                "jipc mq recv: cannot write to standard output: No space left on device; the message of type 5 "
                        + "(2 bytes) was taken off the queue and is lost; nothing more was received\n",
                r.stderr());
        assertEquals(2, q.status().messages(), "the second and third are still queued");
    }

    @Test
    void a_timeout_while_waiting_exits_3_and_takes_nothing() throws Exception {
        Processes.Result r = run(bash("\"$@\"", "mq", "recv", "--id", id(), "--timeout", "0.3"));
        assertEquals(3, r.exitCode(), r.stderr());
        assertEquals("jipc mq recv: no message within 300ms\n", r.stderr());
        assertEquals("", r.stdout());
        CliRunner.Run in = CliRunner.run("mq", "recv", "--id", id(), "--timeout", "20ms");
        assertEquals(
                List.of(3, "jipc mq recv: no message within 20ms\n"), List.of(in.exit(), in.err()));
        send(1);
        CliRunner.Run got =
                CliRunner.run("mq", "recv", "--id", id(), "--timeout", "1h", "--format", "hex");
        assertEquals(List.of(0, "5 6d31\n"), List.of(got.exit(), got.out()));
        assertEquals(
                2, CliRunner.run("mq", "recv", "--id", id(), "--timeout", "1s", "--nowait").exit());
        assertEquals(2, CliRunner.run("mq", "recv", "--id", id(), "--timeout", "-1s").exit());
    }

    @Test
    void send_reads_no_more_than_msgmax_plus_one_byte_of_endless_input() throws Exception {
        long max = io.jipc.Limit.MSGMAX.value();
        try (Processes.Child c =
                Processes.start(
                        ChildJvm.command(Main.class, "mq", "send", "--id", id(), "--type", "1"),
                        Map.of(),
                        Path.of("/dev/zero"))) {
            Processes.Result r = c.await(WAIT);
            assertEquals(1, r.exitCode(), r.stderr());
            assertEquals(
                    "jipc mq send: standard input holds more than msgmax = "
                            + max
                            + " bytes ("
                            + io.jipc.Limit.MSGMAX.source()
                            + "); nothing was written\n",
                    r.stderr());
        }
        CliRunner.Run file =
                CliRunner.run("mq", "send", "--id", id(), "--type", "1", "--file", "/dev/zero");
        assertEquals(1, file.exit());
        assertTrue(
                file.err().startsWith("jipc mq send: /dev/zero holds more than msgmax"),
                file.err());
        CliRunner.Run dir =
                CliRunner.run("mq", "send", "--id", id(), "--type", "1", "--file", "/tmp");
        assertEquals(
                List.of(1, "jipc mq send: /tmp: is a directory, not a file to send\n"),
                List.of(dir.exit(), dir.err()));
        CliRunner.Run exact =
                CliRunner.runWithInput(
                        new byte[(int) max], "mq", "send", "--id", id(), "--type", "1");
        assertEquals(0, exact.exit(), "exactly msgmax fits: " + exact.err());
        assertEquals(1, q.status().messages(), "only the message that fits was sent");
    }

    @Test
    void shm_write_reads_no_more_than_fits_and_leaves_the_segment_as_it_was() throws Exception {
        SharedMemory shm = SharedMemory.createPrivate(0600, 4096);
        try {
            String sid = Integer.toString(shm.id());
            assertEquals(0, CliRunner.run("shm", "write", "--id", sid, "--text", "keep me").exit());
            try (Processes.Child c =
                    Processes.start(
                            ChildJvm.command(
                                    Main.class, "shm", "write", "--id", sid, "--offset", "96"),
                            Map.of(),
                            Path.of("/dev/zero"))) {
                Processes.Result r = c.await(WAIT);
                assertEquals(1, r.exitCode(), r.stderr());
                assertEquals(
                        "jipc shm write: standard input holds more than the 4000 bytes from offset 96 to the end of"
                                + " shmid "
                                + sid
                                + " (whose size is 4096 bytes); nothing was written\n",
                        r.stderr());
            }
            assertEquals(
                    "keep me\n",
                    CliRunner.run("shm", "read", "--id", sid, "--format", "text").out());
        } finally {
            shm.remove();
        }
    }

    @Test
    void watch_into_head_ends_as_soon_as_head_has_its_line() throws Exception {
        send(1);
        // an interval of an hour: only the reader going away can end it within the test's wait
        Processes.Result r =
                run(
                        bash(
                                "set -o pipefail; \"$@\" | head -1",
                                "watch",
                                "msg",
                                "--id",
                                id(),
                                "--interval",
                                "1h",
                                "--plain"));
        assertEquals(141, r.exitCode(), r.stderr());
        assertEquals("", r.stderr(), "nothing said, as a process killed by SIGPIPE");
        assertTrue(
                r.stdout()
                        .matches(
                                "\\d\\d:\\d\\d:\\d\\d msg 0x00000000 id "
                                        + id()
                                        + " messages=1 bytes=2/\\d+\n"),
                r.stdout());
    }

    @Test
    void on_a_terminal_binary_bodies_are_shown_escaped_never_raw() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/script")), "script(1) of util-linux");
        q.send(7, new byte[] {'o', 'k', 0x1b, '[', '2', 'J', 0, (byte) 0xff});
        q.send(8, new byte[] {'a', 0x1b, 'c'});
        String cmd =
                String.join(
                        " ",
                        ChildJvm.command(
                                        Main.class,
                                        "mq",
                                        "peek",
                                        "--id",
                                        id(),
                                        "--index",
                                        "0",
                                        "--format",
                                        "raw")
                                .stream()
                                .map(a -> "'" + a.replace("'", "'\\''") + "'")
                                .toList());
        String text =
                String.join(
                        " ",
                        ChildJvm.command(Main.class, "mq", "recv", "--id", id(), "--count", "2")
                                .stream()
                                .map(a -> "'" + a.replace("'", "'\\''") + "'")
                                .toList());
        Processes.Result r = run(List.of("script", "-qec", cmd + "; " + text, "/dev/null"));
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        String screen = r.stdout().replace("\r\n", "\n");
        assertFalse(screen.contains("\u001b"), "no escape byte reached the terminal: " + screen);
        assertTrue(screen.contains("ok\\x1b[2J\\x00\\xff\n"), screen);
        assertTrue(screen.contains("\n7\tok\\x1b[2J\\x00\\xff\n"), screen);
        assertTrue(screen.contains("\n8\ta\\x1bc\n"), screen);
        assertTrue(
                screen.contains(
                        "jipc mq peek: warning: not writing the 8 binary bytes of the message of type 7 to a"
                                + " terminal"),
                screen);
        assertEquals(0, q.status().messages());
    }

    /** The pid of the JVM a bash child started. */
    static long awaitJava(Processes.Child c) {
        long[] pid = {-1};
        ThreadStates.await(
                () -> {
                    pid[0] =
                            c.process()
                                    .toHandle()
                                    .descendants()
                                    .filter(
                                            h ->
                                                    h.info()
                                                            .command()
                                                            .map(x -> x.endsWith("/java"))
                                                            .orElse(false))
                                    .mapToLong(ProcessHandle::pid)
                                    .findFirst()
                                    .orElse(-1);
                    return pid[0] > 0;
                },
                () -> "a java child of " + c.describe());
        return pid[0];
    }
}
