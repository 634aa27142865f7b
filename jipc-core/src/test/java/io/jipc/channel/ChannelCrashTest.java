package io.jipc.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.testkit.ChildJvm;
import io.jipc.testkit.Processes;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Writers killed with SIGKILL in the middle of a message: at every step of a C writer (it stops
 * itself with SIGSTOP at a numbered step of jipc_channel.h, then is killed), at the claim stages of
 * a Java writer, and at random moments of writers of both languages. The reader never sees a torn
 * message, notices the dead writer and skips its claim; readers and writers that attach afterwards
 * find a consistent channel.
 */
class ChannelCrashTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int MAXLEN = 300;
    private static Path peer;

    @BeforeAll
    static void compile() {
        peer = ChannelPeer.compile();
    }

    /**
     * Waits until the process is stopped (state T in /proc/PID/stat), reading meanwhile if {@code
     * r} is given.
     */
    private static void awaitStopped(Processes.Child child, ChannelReader r, TestMessages.Tally t)
            throws Exception {
        long pid = child.process().pid();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            String stat;
            try (BufferedReader in = Files.newBufferedReader(Path.of("/proc/" + pid + "/stat"))) {
                stat = in.readLine();
            }
            if (stat.substring(stat.lastIndexOf(')') + 2).startsWith("T")) {
                return;
            }
            if (!child.process().isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("the writer did not stop: " + child.describe());
            }
            if (r == null || r.poll(t::accept, 1024) == 0) {
                Thread.sleep(1);
            }
        }
    }

    /** Sends test messages on another thread (this one reads). */
    static CompletableFuture<Void> sendAsync(ChannelWriter w, int writer, long count) {
        return CompletableFuture.runAsync(
                () -> {
                    try {
                        ChannelChild.send(w, writer, count, MAXLEN);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
    }

    private static void kill(Processes.Child child) throws Exception {
        child.process().destroyForcibly();
        assertTrue(child.process().waitFor(10, TimeUnit.SECONDS));
    }

    /** Polls until {@code count} messages of the tally, failing after the wait. */
    private static void readUntil(ChannelReader r, TestMessages.Tally t, long count)
            throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (t.total < count) {
            if (r.poll(t::accept, 1024) == 0) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("only " + t.total + " of " + count + " messages");
                }
                Thread.sleep(0, 100_000);
            }
        }
    }

    /**
     * A C writer stops at step POINT of its message number BEFORE and is killed; the reader,
     * attached before or only after the kill, gets every earlier message, skips the abandoned one,
     * and then the messages of a new writer. Steps of a copied message (send): 1 intent recorded; 2
     * tail advanced; 3 padding written; 6 payload copied; 4 length and type stored, no tag; 5 tag
     * stored (published: the message arrives); 7 before the wake-up. Of a claim ("claim"): 4 and 5
     * write the claimed header (negative length), 6 the payload, 7 follows the commit (the message
     * arrives).
     */
    @ParameterizedTest(name = "{0} point {1} {2} reader {3}")
    @CsvSource({
        "SPSC, 1, -, early",
        "SPSC, 2, -, early",
        "SPSC, 3, wrap, early",
        "SPSC, 4, -, early",
        "SPSC, 5, -, early",
        "SPSC, 6, -, early",
        "SPSC, 7, -, early",
        "SPSC, 2, -, late",
        "SPSC, 5, -, late",
        "SPSC, 6, -, late",
        "MPSC, 1, -, early",
        "MPSC, 2, -, early",
        "MPSC, 3, wrap, early",
        "MPSC, 4, -, early",
        "MPSC, 5, -, early",
        "MPSC, 6, -, early",
        "MPSC, 7, -, early",
        "MPSC, 2, -, late",
        "MPSC, 4, -, late",
        "MPSC, 6, -, late",
        "SPSC, 4, claim, early",
        "SPSC, 5, claim, early",
        "SPSC, 6, claim, late",
        "SPSC, 7, claim, early",
        "MPSC, 4, claim, late",
        "MPSC, 5, claim, early",
        "MPSC, 6, claim, early",
        "MPSC, 7, claim, late"
    })
    void a_c_writer_killed_at_each_step_of_a_message(
            ChannelKind kind, int point, String mode, String reader) throws Exception {
        String name = TestChannels.freshName();
        Path p = Channel.path(name);
        boolean claim = mode.equals("claim");
        int before = mode.equals("wrap") ? 30 : 20;
        try (Channel ch = Channel.create(p, 0600, 4096, kind)) {
            TestMessages.Tally t = new TestMessages.Tally();
            ChannelReader r = reader.equals("early") ? ch.reader() : null;
            List<String> cmd =
                    new ArrayList<>(
                            List.of(
                                    peer.toString(),
                                    "crash",
                                    "name:" + name,
                                    "1",
                                    "" + before,
                                    "" + point,
                                    "" + MAXLEN));
            if (!mode.equals("-")) {
                cmd.add(mode);
            }
            long sent;
            try (Processes.Child w = Processes.start(cmd)) {
                if (r != null) {
                    // read while it writes, so that the fillers of "wrap" find room
                    long deadline = System.nanoTime() + WAIT.toNanos();
                    while (!w.describe().contains("stopping at")) {
                        r.poll(t::accept, 1024);
                        assertTrue(
                                System.nanoTime() < deadline && w.process().isAlive(),
                                w.describe());
                    }
                }
                awaitStopped(w, r, t);
                String line =
                        w.describe()
                                .lines()
                                .filter(l -> l.startsWith("stopping at"))
                                .findFirst()
                                .orElseThrow();
                sent =
                        Long.parseLong(
                                line.substring(
                                        line.lastIndexOf(' ')
                                                + 1)); // messages before the stopped one
                kill(w);
            }
            if (r == null) {
                r = ch.reader();
            }
            boolean published = point == 7 || (!claim && point == 5);
            long expected = published ? sent + 1 : sent;
            readUntil(r, t, expected);
            assertEquals(
                    expected, t.next[1], "every message before the dead one, whole and in order");
            // a new writer attaches (in an SPSC channel it takes over the dead writer's side)
            try (ChannelWriter w2 = ch.writer()) {
                CompletableFuture<Void> writing = sendAsync(w2, 2, 100);
                readUntil(r, t, expected + 100);
                writing.get(10, TimeUnit.SECONDS);
            }
            assertEquals(100, t.next[2]);
            assertEquals(expected, t.next[1], "nothing more from the dead writer");
            ChannelStatus st = ch.status();
            assertEquals(
                    point >= 2 && !published ? 1 : 0, st.abandoned(), "abandoned claims skipped");
            assertEquals(st.head(), st.tail());
            r.close();
        } finally {
            Files.deleteIfExists(p);
        }
    }

    /**
     * A C reader attached after the death of writer {@code dead} (which wrote {@code sent} whole
     * messages) reads those and 100 messages of a new Java writer, skipping the abandoned one.
     */
    private static void cReaderSkipsTheDeadWriter(Channel ch, String name, int dead, int sent)
            throws Exception {
        try (Processes.Child r =
                        Processes.start(
                                List.of(
                                        peer.toString(),
                                        "read",
                                        "name:" + name,
                                        "" + (sent + 100),
                                        "" + MAXLEN));
                ChannelWriter w2 = ch.writer()) {
            ChannelChild.send(w2, 5, 100, MAXLEN);
            String out = r.await(WAIT).assertExit(0).stdout();
            assertTrue(
                    out.contains("writer " + dead + " " + sent + "\n")
                            && out.contains("writer 5 100\n"),
                    out);
        }
        assertEquals(1, ch.status().abandoned());
    }

    /**
     * A C writer killed in the middle of a message (no header yet, header without its tag, payload
     * copied but not published; a claim not committed): a C reader attached afterwards skips it.
     */
    @ParameterizedTest(name = "{0} point {1} {2}")
    @CsvSource({"SPSC, 2, -", "SPSC, 4, -", "MPSC, 6, -", "MPSC, 4, claim", "SPSC, 6, claim"})
    void a_c_writer_killed_mid_message_is_skipped_by_a_c_reader(
            ChannelKind kind, int point, String mode) throws Exception {
        String name = TestChannels.freshName();
        Path p = Channel.path(name);
        try (Channel ch = Channel.create(p, 0600, 65536, kind)) {
            List<String> cmd =
                    new ArrayList<>(
                            List.of(
                                    peer.toString(),
                                    "crash",
                                    "name:" + name,
                                    "1",
                                    "20",
                                    "" + point,
                                    "" + MAXLEN));
            if (!mode.equals("-")) {
                cmd.add(mode);
            }
            try (Processes.Child w = Processes.start(cmd)) {
                awaitStopped(w, null, null);
                kill(w);
            }
            cReaderSkipsTheDeadWriter(ch, name, 1, 20);
        } finally {
            Files.deleteIfExists(p);
        }
    }

    /** A Java writer in a child JVM killed with a claim open: the C reader skips it. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "SPSC, claim",
        "SPSC, half",
        "SPSC, full",
        "MPSC, claim",
        "MPSC, half",
        "MPSC, full"
    })
    void a_java_writer_killed_with_a_claim_open_is_skipped_by_a_c_reader(
            ChannelKind kind, String stage) throws Exception {
        String name = TestChannels.freshName();
        Path p = Channel.path(name);
        try (Channel ch = Channel.create(p, 0600, 65536, kind)) {
            try (Processes.Child w =
                    ChildJvm.start(
                            ChannelChild.class,
                            "claim",
                            "name:" + name,
                            "4",
                            "50",
                            stage,
                            "" + MAXLEN)) {
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (!w.describe().contains("stopped " + stage)) {
                    assertTrue(System.nanoTime() < deadline && w.process().isAlive(), w.describe());
                    Thread.sleep(5);
                }
                kill(w);
            }
            cReaderSkipsTheDeadWriter(ch, name, 4, 50);
        } finally {
            Files.deleteIfExists(p);
        }
    }

    /** Writers of both languages killed at random moments while they write flat out. */
    @Test
    void writers_killed_at_random_moments_never_leave_a_torn_message() throws Exception {
        String name = TestChannels.freshName();
        Path p = Channel.path(name);
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        try (Channel ch = Channel.create(p, 0600, 8192, ChannelKind.MPSC);
                ChannelReader r = ch.reader()) {
            TestMessages.Tally t = new TestMessages.Tally();
            int rounds = 40;
            for (int round = 0; round < rounds; round++) {
                boolean java = round % 10 == 9;
                int id = 100 + round;
                List<String> cmd =
                        java
                                ? ChildJvm.command(
                                        ChannelChild.class,
                                        "forever",
                                        "name:" + name,
                                        "" + id,
                                        "" + MAXLEN)
                                : List.of(
                                        peer.toString(),
                                        "forever",
                                        "name:" + name,
                                        "" + id,
                                        "" + MAXLEN);
                try (Processes.Child w = Processes.start(cmd)) {
                    // The random moment starts once its first message has arrived: a writer killed
                    // before it wrote anything (a JVM still loading classes, a C process not yet
                    // scheduled on a busy machine) would test nothing.
                    long deadline = System.nanoTime() + WAIT.toNanos();
                    while (t.next[id] == 0) {
                        r.poll(t::accept, 1024);
                        assertTrue(
                                System.nanoTime() < deadline && w.process().isAlive(),
                                "round " + round + " wrote nothing: " + w.describe());
                    }
                    long until =
                            System.nanoTime() + rnd.nextLong(java ? 300_000_000L : 20_000_000L);
                    while (System.nanoTime() < until) {
                        r.poll(t::accept, 1024);
                    }
                    kill(w);
                }
                // The writer is dead: every record up to tail is committed or abandoned. Read until
                // head reaches tail (the reader skips the abandoned claim once it sees the death).
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (r.poll(t::accept, 1024) > 0 || r.position() != ch.status().tail()) {
                    assertTrue(
                            System.nanoTime() < deadline,
                            "round " + round + ": stuck at " + ch.status());
                }
            }
            ChannelStatus st = ch.status();
            assertEquals(st.head(), st.tail(), "every claim of the dead writers was passed");
            System.out.println(
                    "random kills: "
                            + t.total
                            + " messages verified, "
                            + st.abandoned()
                            + " abandoned claims skipped in "
                            + rounds
                            + " kills");
            // and the channel still works for everybody
            try (ChannelWriter w = ch.writer()) {
                CompletableFuture<Void> writing = sendAsync(w, 999, 1000);
                readUntil(r, t, t.total + 1000);
                writing.get(10, TimeUnit.SECONDS);
            }
        } finally {
            Files.deleteIfExists(p);
        }
    }

    /** A reader killed mid-stream: the next reader continues where it left, nothing torn. */
    @Test
    void a_reader_that_dies_is_replaced_at_the_same_position() throws Exception {
        String name = TestChannels.freshName();
        Path p = Channel.path(name);
        try (Channel ch = Channel.create(p, 0600, 8192, ChannelKind.SPSC);
                ChannelWriter w = ch.writer()) {
            CompletableFuture<Void> writing = sendAsync(w, 6, 50_000);
            try (Processes.Child r =
                    Processes.start(
                            List.of(
                                    peer.toString(),
                                    "read",
                                    "name:" + name,
                                    "1000000",
                                    "" + MAXLEN))) {
                ChannelTest.await(
                        "the reader has read something", () -> ch.status().head() > 100_000);
                kill(r);
            }
            ChannelStatus st = ch.status();
            assertTrue(
                    st.reader() != 0 && !st.readerAlive(),
                    "the dead reader is seen as dead: " + st);
            try (ChannelReader r2 = ch.reader()) {
                long[] next = {-1};
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (next[0] < 50_000 && System.nanoTime() < deadline) {
                    r2.poll(
                            m -> {
                                TestMessages.verify(m);
                                long seq = TestMessages.seq(m);
                                if (next[0] >= 0) {
                                    assertEquals(next[0], seq, "contiguous after the takeover");
                                }
                                next[0] = seq + 1;
                            },
                            1024);
                }
                assertEquals(50_000, next[0], "up to the last message sent");
            }
            writing.get(10, TimeUnit.SECONDS);
        } finally {
            Files.deleteIfExists(p);
        }
    }
}
