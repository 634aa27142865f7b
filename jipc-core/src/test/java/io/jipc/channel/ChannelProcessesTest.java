package io.jipc.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.pipe.Child;
import io.jipc.pipe.ExitStatus;
import io.jipc.pipe.Pipe;
import io.jipc.pipe.Spawn;
import io.jipc.sysv.SharedMemory;
import io.jipc.testkit.ChildJvm;
import io.jipc.testkit.Processes;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The channel between processes, both ways between Java and C (channel_peer.c compiled against
 * c/include/jipc_channel.h), over a /dev/shm file, a memfd handed to a child, and a System V
 * segment; and many writers of both languages on one MPSC channel.
 */
class ChannelProcessesTest {
    private static final Duration WAIT = Duration.ofSeconds(100);
    private static Path peer;

    @BeforeAll
    static void compile() {
        peer = ChannelPeer.compile();
    }

    static Processes.Child c(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(peer.toString());
        cmd.addAll(List.of(args));
        return Processes.start(cmd);
    }

    /** Reads {@code count} messages in this JVM, verifying each, until all writers are done. */
    static TestMessages.Tally readAll(ChannelReader r, long count, Processes.Child... writers)
            throws Exception {
        TestMessages.Tally tally = new TestMessages.Tally();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (tally.total < count) {
            if (r.poll(tally::accept, 4096) == 0) {
                for (Processes.Child w : writers) {
                    if (!w.process().isAlive() && w.process().exitValue() != 0) {
                        throw new AssertionError("a writer failed: " + w.describe());
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(
                            "only " + tally.total + " of " + count + " messages arrived");
                }
                Thread.onSpinWait();
            }
        }
        assertEquals(0, r.poll(m -> {}, 1), "nothing more than was sent");
        return tally;
    }

    @Test
    void a_c_writer_to_a_java_reader() throws Exception {
        String name = TestChannels.freshName();
        Path p = Channel.path(name);
        try (Channel ch = Channel.create(p, 0600, 65536, ChannelKind.SPSC);
                ChannelReader r = ch.reader();
                Processes.Child w = c("write", "name:" + name, "7", "300000", "1000")) {
            TestMessages.Tally t = readAll(r, 300_000, w);
            assertEquals(300_000, t.next[7]);
            w.await(WAIT).assertExit(0);
        } finally {
            Files.deleteIfExists(p);
        }
    }

    @Test
    void a_java_writer_to_a_c_reader_on_a_channel_the_c_side_created() throws Exception {
        String name = TestChannels.freshName();
        Path p = Channel.path(name);
        try {
            Processes.run(WAIT, peer.toString(), "create", name, "65536", "spsc").assertExit(0);
            try (Channel ch = Channel.open(p);
                    ChannelWriter w = ch.writer();
                    Processes.Child r = c("read", "name:" + name, "300000", "1000")) {
                assertEquals(ChannelKind.SPSC, ch.kind());
                ChannelChild.send(w, 3, 300_000, 1000);
                String out = r.await(WAIT).assertExit(0).stdout();
                assertEquals("writer 3 300000", out.trim());
            }
        } finally {
            Files.deleteIfExists(p);
        }
    }

    @Test
    void a_java_writer_in_a_child_jvm_to_a_c_reader_both_spinning() throws Exception {
        String name = TestChannels.freshName();
        Path p = Channel.path(name);
        try (Channel ch = Channel.create(p, 0600, 16384, ChannelKind.SPSC)) {
            assertEquals(16384, ch.capacity());
            try (Processes.Child r = c("read", "name:" + name, "200000", "500", "spin");
                    Processes.Child w =
                            ChildJvm.start(
                                    ChannelChild.class,
                                    "write",
                                    "name:" + name,
                                    "5",
                                    "200000",
                                    "500")) {
                w.await(WAIT).assertExit(0);
                assertEquals("writer 5 200000", r.await(WAIT).assertExit(0).stdout().trim());
            }
        } finally {
            Files.deleteIfExists(p);
        }
    }

    @Test
    void a_memfd_channel_handed_to_a_c_child_through_spawn() throws Exception {
        try (Channel ch = Channel.createAnonymous(8192, ChannelKind.SPSC);
                ChannelReader r = ch.reader();
                Pipe out = Pipe.open()) {
            Child child =
                    Spawn.of(peer.toString(), "write", "fd:3", "9", "50000", "300")
                            .fd(3, ch.descriptor().orElseThrow())
                            .stdout(out.sink())
                            .start();
            out.sink().close();
            TestMessages.Tally t = new TestMessages.Tally();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (t.total < 50_000 && System.nanoTime() < deadline) {
                r.poll(t::accept, 1024);
            }
            assertEquals(50_000, t.next[9]);
            ExitStatus st = child.waitFor(WAIT).orElseThrow();
            assertTrue(st.success(), st.toString());
            assertEquals(
                    "sent 50000",
                    new String(out.source().inputStream().readAllBytes(), StandardCharsets.UTF_8)
                            .trim());
        }
    }

    @Test
    void a_system_v_segment_between_a_java_writer_and_a_c_reader() throws Exception {
        SharedMemory shm =
                SharedMemory.createPrivate(0600, Channel.regionSize(32768, ChannelKind.MPSC));
        try (Channel ch = Channel.create(shm, ChannelKind.MPSC);
                ChannelWriter w = ch.writer();
                Processes.Child r = c("read", "shm:" + shm.id(), "100000", "2000")) {
            ChannelChild.send(w, 11, 100_000, 2000);
            assertEquals("writer 11 100000", r.await(WAIT).assertExit(0).stdout().trim());
        } finally {
            shm.remove();
        }
    }

    @Test
    void a_java_child_reads_what_a_c_writer_and_this_jvm_write_to_one_mpsc_channel()
            throws Exception {
        String name = TestChannels.freshName();
        Path p = Channel.path(name);
        try (Channel ch = Channel.create(p, 0600, 32768, ChannelKind.MPSC);
                ChannelWriter w = ch.writer();
                Processes.Child r =
                        ChildJvm.start(ChannelChild.class, "read", "name:" + name, "200000");
                Processes.Child cw = c("write", "name:" + name, "1", "100000", "700")) {
            ChannelChild.send(w, 2, 100_000, 700);
            String out = r.await(WAIT).assertExit(0).stdout();
            assertTrue(out.contains("writer 1 100000") && out.contains("writer 2 100000"), out);
            cw.await(WAIT).assertExit(0);
        } finally {
            Files.deleteIfExists(p);
        }
    }

    /**
     * Three C writers and three Java writers (a child JVM, one thread each) on one MPSC channel, 10
     * million messages with sequence numbers and checksums, read in this JVM: nothing lost,
     * duplicated, reordered per writer or torn.
     */
    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void three_c_and_three_java_writers_send_ten_million_messages_through_one_mpsc_channel()
            throws Exception {
        String name = TestChannels.freshName();
        Path p = Channel.path(name);
        long each = 1_666_667;
        try (Channel ch = Channel.create(p, 0600, 1 << 20, ChannelKind.MPSC);
                ChannelReader r = ch.reader()) {
            List<Processes.Child> writers = new ArrayList<>();
            try {
                writers.add(
                        ChildJvm.start(
                                ChannelChild.class,
                                "write",
                                "name:" + name,
                                "10,11,12",
                                "" + each,
                                "120"));
                for (int id = 0; id < 3; id++) {
                    writers.add(c("write", "name:" + name, "" + id, "" + each, "120"));
                }
                long start = System.nanoTime();
                TestMessages.Tally t =
                        readAll(r, 6 * each, writers.toArray(Processes.Child[]::new));
                long ms = (System.nanoTime() - start) / 1_000_000;
                for (int id : new int[] {0, 1, 2, 10, 11, 12}) {
                    assertEquals(each, t.next[id], "writer " + id);
                }
                System.out.println(
                        "MPSC 3 C + 3 Java writers: " + t.total + " messages in " + ms + " ms");
                for (Processes.Child w : writers) {
                    w.await(WAIT).assertExit(0);
                }
                assertEquals(0, ch.status().abandoned());
            } finally {
                writers.forEach(Processes.Child::close);
            }
        } finally {
            Files.deleteIfExists(p);
        }
    }

    @Test
    void a_zero_copy_claim_arrives_whole_and_poll_hands_over_read_only_slices() throws Exception {
        try (Channel ch = Channel.createAnonymous(4096, ChannelKind.MPSC);
                ChannelWriter w = ch.writer();
                ChannelReader r = ch.reader();
                Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocate(100);
            TestMessages.encode(m, 4, 0, 100);
            Claim c = w.claim(100);
            c.segment().copyFrom(m);
            c.commit();
            List<Long> sizes = new ArrayList<>();
            r.poll(
                    s -> {
                        TestMessages.verify(s);
                        assertTrue(s.isReadOnly(), "handlers get a read-only view");
                        sizes.add(s.byteSize());
                    },
                    10);
            assertEquals(List.of(100L), sizes);
            assertEquals(-1, r.tryReceive(ByteBuffer.allocate(200)));
        }
    }
}
