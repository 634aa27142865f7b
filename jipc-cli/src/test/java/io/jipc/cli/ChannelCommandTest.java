package io.jipc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.channel.Channel;
import io.jipc.channel.ChannelKind;
import io.jipc.channel.ChannelReader;
import io.jipc.channel.ChannelWriter;
import io.jipc.testkit.ChildJvm;
import io.jipc.testkit.Processes;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code jipc channel}: every subcommand against real channels, with the library on the other side.
 */
class ChannelCommandTest {
    private String name;
    private Path path;

    @BeforeEach
    void names() {
        name = "jipc-cli-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        path = Channel.path(name);
    }

    @AfterEach
    void remove() throws Exception {
        Files.deleteIfExists(path);
    }

    private static CliRunner.Run ok(String... args) {
        CliRunner.Run r = CliRunner.run(args);
        assertEquals(0, r.exit(), String.join(" ", args) + ": " + r.err());
        assertEquals("", r.err());
        return r;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void create_with_capacity_kind_and_exact_mode_then_create_again_opens() throws Exception {
        assertEquals(
                "",
                ok(
                                "channel",
                                "create",
                                name,
                                "--capacity",
                                "64k",
                                "--kind",
                                "mpsc",
                                "--mode",
                                "0640")
                        .out());
        assertEquals(
                "rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
        try (Channel ch = Channel.open(path)) {
            assertEquals(ChannelKind.MPSC, ch.kind());
            assertEquals(65536, ch.capacity());
        }
        CliRunner.Run again = CliRunner.run("channel", "create", name, "--capacity", "4k");
        assertEquals(0, again.exit());
        assertTrue(
                again.err().contains("warning") && again.err().contains("MPSC, capacity 65536"),
                again.err());
        CliRunner.Run ex = CliRunner.run("channel", "create", name, "--exclusive");
        assertEquals(1, ex.exit());
        assertTrue(ex.err().contains("EEXIST"), ex.err());
        assertEquals(
                2, CliRunner.run("channel", "create", name + "x", "--capacity", "3000").exit());
        assertEquals(2, CliRunner.run("channel", "create", name + "x", "--kind", "many").exit());
        assertEquals(2, CliRunner.run("channel", "create", name + "x", "--mode", "999").exit());
        assertFalse(Files.exists(Channel.path(name + "x")));
    }

    @Test
    void send_each_body_source_and_recv_each_format(@TempDir Path dir) throws Exception {
        ok("channel", "create", name, "--capacity", "4k");
        ok("channel", "send", name, "--text", "hi\n");
        ok("channel", "send", name, "--hex", "00ff10");
        Path f = dir.resolve("body");
        Files.write(f, b("from a file"));
        ok("channel", "send", name, "--file", f.toString());
        assertEquals(0, CliRunner.runWithInput(b("stdin bytes"), "channel", "send", name).exit());
        assertEquals("hi\n", ok("channel", "recv", name).out());
        assertEquals("00ff10\n", ok("channel", "recv", name, "--format", "hex").out());
        assertEquals(
                "{\"size\":11,\"hex\":\"66726f6d20612066696c65\",\"text\":\"from a file\"}\n",
                ok("channel", "recv", name, "--format", "json").out());
        assertArrayEquals(b("stdin bytes"), ok("channel", "recv", name, "--format", "raw").bytes());
        CliRunner.Run none = CliRunner.run("channel", "recv", name, "--nowait");
        assertEquals(3, none.exit());
        assertTrue(none.err().contains("no message"), none.err());
        CliRunner.Run late = CliRunner.run("channel", "recv", name, "--timeout", "100ms");
        assertEquals(3, late.exit());
        assertTrue(late.err().contains("no message within"), late.err());
    }

    @Test
    void recv_count_and_text_that_is_not_utf8_is_escaped_with_a_warning() throws Exception {
        ok("channel", "create", name);
        ok("channel", "send", name, "--text", "one");
        ok("channel", "send", name, "--hex", "c328");
        ok("channel", "send", name, "--text", "three");
        CliRunner.Run r = CliRunner.run("channel", "recv", name, "--count", "3");
        assertEquals(0, r.exit(), r.err());
        assertEquals("one\n\\xc3(\nthree\n", r.out());
        assertTrue(r.err().contains("not UTF-8 text"), r.err());
        CliRunner.Run partial = CliRunner.run("channel", "recv", name, "--count", "2", "--nowait");
        assertEquals(3, partial.exit());
        assertEquals(2, CliRunner.run("channel", "recv", name, "--count", "0").exit());
        assertEquals(
                2, CliRunner.run("channel", "recv", name, "--nowait", "--timeout", "1s").exit());
    }

    @Test
    void send_refuses_empty_and_oversized_messages_and_a_full_channel_exits_3() throws Exception {
        ok("channel", "create", name, "--capacity", "1k");
        CliRunner.Run empty = CliRunner.runWithInput(new byte[0], "channel", "send", name);
        assertEquals(2, empty.exit());
        assertTrue(empty.err().contains("empty"), empty.err());
        CliRunner.Run big = CliRunner.runWithInput(new byte[241], "channel", "send", name);
        assertEquals(1, big.exit());
        assertTrue(big.err().contains("240 bytes"), big.err());
        int sent = 0;
        while (CliRunner.run("channel", "send", name, "--nowait", "--hex", "00".repeat(200)).exit()
                == 0) {
            sent++;
        }
        assertEquals(4, sent, "four 224-byte records fill 1 KiB");
        CliRunner.Run full =
                CliRunner.run("channel", "send", name, "--nowait", "--hex", "00".repeat(200));
        assertEquals(3, full.exit());
        assertTrue(full.err().contains("full"), full.err());
        assertEquals(
                3,
                CliRunner.run(
                                "channel",
                                "send",
                                name,
                                "--timeout",
                                "50ms",
                                "--hex",
                                "00".repeat(200))
                        .exit());
        assertEquals(
                0,
                CliRunner.run(
                                "channel",
                                "send",
                                name,
                                "--nowait",
                                "--text",
                                "a small one still fits")
                        .exit());
    }

    @Test
    void send_waits_for_room_and_recv_waits_for_a_message_written_by_the_library()
            throws Exception {
        try (Channel ch = Channel.create(path, 0600, 1024, ChannelKind.SPSC)) {
            CompletableFuture<CliRunner.Run> recv =
                    CompletableFuture.supplyAsync(
                            () ->
                                    CliRunner.run(
                                            "channel",
                                            "recv",
                                            name,
                                            "--timeout",
                                            "30s",
                                            "--format",
                                            "hex"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!ch.status().readerWaiting() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            try (ChannelWriter w = ch.writer()) {
                w.offer(new byte[] {1, 2, 3});
            }
            CliRunner.Run r = recv.get(30, TimeUnit.SECONDS);
            assertEquals(0, r.exit(), r.err());
            assertEquals("010203\n", r.out());
        }
    }

    @Test
    void stat_shows_positions_lag_and_roles_in_text_and_json() throws Exception {
        ok("channel", "create", name, "--capacity", "4k", "--kind", "mpsc");
        ok("channel", "send", name, "--text", "a");
        ok("channel", "send", name, "--text", "b");
        try (Channel ch = Channel.open(path);
                ChannelWriter w = ch.writer()) {
            Map<?, ?> o =
                    (Map<?, ?>)
                            JsonReader.parse(ok("channel", "stat", name, "--json").out().strip());
            assertEquals(path.toString(), o.get("name"));
            assertEquals("mpsc", o.get("kind"));
            assertEquals(4096L, ((Number) o.get("capacity")).longValue());
            assertEquals(1008L, ((Number) o.get("max_message")).longValue());
            assertEquals(64L, ((Number) o.get("used")).longValue());
            assertEquals(2L, ((Number) o.get("messages")).longValue());
            assertEquals(null, o.get("reader_pid"));
            assertEquals(false, o.get("reader_waiting"));
            assertEquals(0L, ((Number) o.get("abandoned")).longValue());
            java.util.List<?> writers = (java.util.List<?>) o.get("writers");
            assertEquals(1, writers.size());
            Map<?, ?> wr = (Map<?, ?>) writers.get(0);
            assertEquals(ProcessHandle.current().pid(), ((Number) wr.get("pid")).longValue());
            assertEquals(true, wr.get("alive"));
            assertTrue(w.offer(new byte[] {7}));
            String text = ok("channel", "stat", name).out();
            assertTrue(text.contains("messages         3") && text.contains("alive"), text);
        }
    }

    @Test
    void watch_prints_a_line_per_tick_in_a_pipe_and_stops_when_the_channel_is_removed()
            throws Exception {
        ok("channel", "create", name);
        CliRunner.Run w = ok("channel", "watch", name, "--count", "2", "--interval", "10ms");
        String[] lines = w.out().split("\n");
        assertEquals(2, lines.length, w.out());
        assertTrue(
                lines[1].contains("used 0/1048576 messages 0") && lines[1].contains("reader none"),
                lines[1]);
        try (Processes.Child watching =
                Processes.start(
                        ChildJvm.command(
                                Main.class, "channel", "watch", name, "--interval", "20ms"))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (Files.readString(watching.stdout()).isEmpty()) { // the first tick is printed
                assertTrue(
                        System.nanoTime() < deadline && watching.process().isAlive(),
                        watching.describe());
                Thread.sleep(5);
            }
            ok("channel", "rm", name);
            Processes.Result gone = watching.await(Duration.ofSeconds(30)).assertExit(0);
            assertTrue(gone.stdout().contains("gone:"), gone.stdout());
        }
        assertEquals(2, CliRunner.run("channel", "watch", name, "--interval", "1ms").exit());
    }

    @Test
    void rm_removes_a_channel_and_leaves_other_files_alone(@TempDir Path dir) throws Exception {
        ok("channel", "create", name);
        ok("channel", "rm", name);
        assertFalse(Files.exists(path));
        CliRunner.Run missing = CliRunner.run("channel", "rm", name);
        assertEquals(1, missing.exit());
        assertTrue(missing.err().contains("ENOENT"), missing.err());
        Path other = dir.resolve("not-a-channel");
        Files.write(
                other,
                b("hello, I am a text file, not a channel at all, and long enough?".repeat(40)));
        CliRunner.Run refused = CliRunner.run("channel", "rm", other.toString());
        assertEquals(1, refused.exit());
        assertTrue(refused.err().contains("not a jipc channel"), refused.err());
        assertTrue(Files.exists(other));
    }

    @Test
    void a_second_reader_is_refused_while_the_first_lives() throws Exception {
        try (Channel ch = Channel.create(path, 0600, 4096, ChannelKind.SPSC);
                ChannelReader r = ch.reader()) {
            CliRunner.Run busy = CliRunner.run("channel", "recv", name, "--nowait");
            assertEquals(1, busy.exit());
            assertTrue(
                    busy.err().contains("EBUSY") && busy.err().contains("one reader"), busy.err());
            assertEquals(-1, r.tryReceive(ByteBuffer.allocate(8)));
        }
    }

    @Test
    void recv_stops_when_its_output_reader_goes_and_takes_nothing() throws Exception {
        ok("channel", "create", name);
        // a child jipc whose stdout is a pipe that the shell's head closes after one line
        String cmd =
                String.join(
                                " ",
                                ChildJvm.command(
                                        Main.class, "channel", "recv", name, "--count", "5"))
                        + " | head -c 0";
        try (Processes.Child c = Processes.start(java.util.List.of("sh", "-c", cmd))) {
            Processes.Result res = c.await(Duration.ofSeconds(60));
            assertEquals(0, res.exitCode(), res.child().describe());
        }
        ok("channel", "send", name, "--text", "kept");
        assertEquals("kept\n", ok("channel", "recv", name).out(), "nothing was taken and lost");
    }
}
