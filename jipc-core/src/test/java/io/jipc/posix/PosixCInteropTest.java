package io.jipc.posix;

import static io.jipc.posix.PosixTestNames.name;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.jipc.Descriptor;
import io.jipc.RawDescriptor;
import io.jipc.pipe.Child;
import io.jipc.pipe.Pipe;
import io.jipc.pipe.Spawn;
import io.jipc.socket.SocketType;
import io.jipc.socket.UnixSocket;
import io.jipc.testkit.ChildJvm;
import io.jipc.testkit.Gcc;
import io.jipc.testkit.Processes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;

/**
 * Every POSIX type against C programs that use glibc's own calls on the same names or descriptors,
 * in both directions: {@code mq_open}/{@code mq_send}/{@code mq_receive}, {@code sem_open}/ {@code
 * sem_post}/{@code sem_wait}, {@code shm_open}/{@code mmap}, {@code sem_init} in shared memory,
 * {@code memfd_create} + {@code SCM_RIGHTS}, {@code eventfd}; and a counter that Java and C
 * processes increment under one named semaphore.
 */
@ExtendWith(PosixTestNames.class)
class PosixCInteropTest {
    private static final HexFormat HEX = HexFormat.of();

    private static String peer() {
        return Gcc.compileResource("c/posix_peer.c").toString();
    }

    private static String c(String... args) {
        List<String> cmd = new ArrayList<>(List.of(peer()));
        cmd.addAll(List.of(args));
        return Processes.run(Duration.ofSeconds(60), cmd.toArray(String[]::new))
                .assertExit(0)
                .stdout();
    }

    /** Runs the C peer with {@code fd} as its descriptor 3; returns its standard output. */
    private static String cWithFd3(Descriptor fd, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(peer()));
        cmd.addAll(List.of(args));
        try (Pipe out = Pipe.open()) {
            Child child = Spawn.of(cmd).fd(3, fd).stdout(out.sink()).start();
            out.sink().close();
            String text = new String(out.source().inputStream().readAllBytes(), UTF_8);
            assertEquals(0, child.waitFor(Duration.ofSeconds(60)).orElseThrow().code(), text);
            return text;
        }
    }

    @Test
    void message_queue_both_ways_with_priorities_empty_bodies_and_nul_bytes() throws Exception {
        String n = name("q");
        try (PosixMessageQueue q = PosixMessageQueue.createExclusive(n, 0600, 8, 64)) {
            c("mq-send", n, "1", "616263", "7", "00ff00", "7", "-", "0", "7a");
            assertEquals(new PosixMessage(7, new byte[] {0, -1, 0}), q.receive());
            assertEquals(new PosixMessage(7, new byte[0]), q.receive());
            assertEquals(new PosixMessage(1, "abc".getBytes(UTF_8)), q.receive());
            assertEquals(new PosixMessage(0, "z".getBytes(UTF_8)), q.receive());
            q.send(2, "from Java".getBytes(UTF_8));
            q.send(PosixMessageQueue.MAX_PRIORITY, new byte[] {0});
            q.send(0, new byte[0]);
            assertEquals(
                    "32767 00\n2 " + HEX.formatHex("from Java".getBytes(UTF_8)) + "\n0 -\n",
                    c("mq-recv", n, "3"));
            q.unlink();
        }
        String made = name("q");
        assertEquals("created\n", c("mq-create", made, "3", "40"));
        try (PosixMessageQueue q = PosixMessageQueue.open(made)) {
            PosixMessageQueueTest.assertStatus(q, 3, 40, 0);
            q.send(1, new byte[] {1});
            assertEquals("3 40 1\n", c("mq-attr", made));
            q.unlink();
        }
    }

    @Test
    void a_queue_descriptor_handed_to_a_child_is_the_same_queue() throws Exception {
        String n = name("q");
        try (PosixMessageQueue q = PosixMessageQueue.createExclusive(n, 0600, 4, 16)) {
            q.send(3, "inherited".getBytes(UTF_8));
            q.send(1, new byte[] {1, 2});
            assertEquals(
                    "3 " + HEX.formatHex("inherited".getBytes(UTF_8)) + "\n1 0102\n",
                    cWithFd3(q, "mq-recv-fd", "3", "2"));
            q.unlink();
        }
    }

    @Test
    void named_semaphore_posted_and_awaited_across_java_and_c() throws Exception {
        String n = name("sem");
        try (NamedSemaphore s = NamedSemaphore.createExclusive(n, 0600, 0)) {
            assertEquals("3\n", c("sem-post", n, "3"));
            assertEquals(3, s.value());
            s.acquire();
            s.release();
            s.release();
            assertEquals("0\n", c("sem-wait", n, "4"));
            assertFalse(s.tryAcquire());
            s.unlink();
        }
        String made = name("sem");
        assertEquals("created\n", c("sem-create", made, "5"));
        try (NamedSemaphore s = NamedSemaphore.open(made)) {
            assertFalse(s.created());
            assertEquals(5, s.value());
            s.unlink();
        }
    }

    @Test
    void shared_memory_and_an_unnamed_semaphore_in_it_across_java_and_c() throws Exception {
        String n = name("shm");
        try (PosixSharedMemory shm = PosixSharedMemory.createExclusive(n, 0600, 4096);
                Mapping m = shm.map()) {
            m.segment()
                    .asSlice(100)
                    .copyFrom(
                            java.lang.foreign.MemorySegment.ofArray("from Java\0".getBytes(UTF_8)));
            assertEquals(
                    HEX.formatHex("from Java".getBytes(UTF_8)) + "\n",
                    c("shm-read", n, "100", "9"));
            c("shm-write", n, "4000", HEX.formatHex("from C".getBytes(UTF_8)));
            assertEquals("from C", m.segment().getString(4000));
            // sem_init(p, 1, 0) at offset 64 by Java; sem_post/sem_wait on the same bytes by C
            UnnamedSemaphore sem = UnnamedSemaphore.init(m.segment(), 64, 0);
            c("unnamed-sem", n, "64", "post", "3");
            assertEquals(3, sem.value());
            assertTrue(sem.tryAcquire());
            sem.release();
            c("unnamed-sem", n, "64", "wait", "3");
            assertEquals(0, sem.value());
            sem.destroy();
            shm.unlink();
        }
        String made = name("shm");
        assertEquals("created\n", c("shm-create", made, "12345"));
        try (PosixSharedMemory shm = PosixSharedMemory.open(made, Access.READ_ONLY);
                Mapping m = shm.mapReadOnly()) {
            assertFalse(shm.created());
            assertEquals(12345, m.size());
            assertEquals(
                    0L, m.segment().get(ValueLayout.JAVA_LONG, 12336), "new memory reads as zeros");
            shm.unlink();
        }
    }

    @Test
    void memfds_cross_a_unix_socket_both_ways_with_their_seals() throws Exception {
        try (UnixSocket.Pair p = UnixSocket.pair(SocketType.SEQPACKET);
                Memfd m = Memfd.create("from-java", 9)) {
            try (Mapping w = m.map()) {
                w.segment()
                        .copyFrom(
                                java.lang.foreign.MemorySegment.ofArray(
                                        "from Java".getBytes(UTF_8)));
            }
            m.addSeals(Seal.SHRINK, Seal.GROW);
            List<String> cmd = List.of(peer(), "memfd", "3");
            try (Pipe out = Pipe.open()) {
                Child child = Spawn.of(cmd).fd(3, p.second()).stdout(out.sink()).start();
                out.sink().close();
                p.second().close();
                p.first().sendWithDescriptors(ByteBuffer.wrap(new byte[] {'j'}), m);
                UnixSocket.Received back = p.first().receive(ByteBuffer.allocate(1), 1);
                String line = new String(out.source().inputStream().readAllBytes(), UTF_8);
                assertEquals(0, child.waitFor(Duration.ofSeconds(60)).orElseThrow().code());
                // size, F_GET_SEALS (SHRINK 2 | GROW 4), contents as C sees them
                assertEquals("9 6 " + HEX.formatHex("from Java".getBytes(UTF_8)) + "\n", line);
                RawDescriptor d = back.descriptors().get(0);
                try (Memfd fromC = Memfd.inherited(d.release());
                        Mapping r = fromC.mapReadOnly()) {
                    assertEquals("from-c", fromC.name());
                    assertEquals(EnumSet.of(Seal.SHRINK, Seal.GROW, Seal.WRITE), fromC.seals());
                    byte[] got = r.segment().toArray(ValueLayout.JAVA_BYTE);
                    assertArrayEquals("from C".getBytes(UTF_8), got);
                }
            }
        }
    }

    @Test
    void a_memfd_handed_to_a_child_as_fd_3_is_the_same_memory() throws Exception {
        try (Memfd m = Memfd.create("spawned", 5);
                Mapping w = m.map();
                Pipe out = Pipe.open()) {
            w.segment().copyFrom(java.lang.foreign.MemorySegment.ofArray("hello".getBytes(UTF_8)));
            Child child = Spawn.of("cat", "/proc/self/fd/3").fd(3, m).stdout(out.sink()).start();
            out.sink().close();
            assertEquals("hello", new String(out.source().inputStream().readAllBytes(), UTF_8));
            assertEquals(0, child.waitFor(Duration.ofSeconds(30)).orElseThrow().code());
        }
    }

    @Test
    void an_eventfd_handed_to_a_child_counts_both_ways() throws Exception {
        try (EventFd e = EventFd.create(0)) {
            cWithFd3(e, "eventfd", "3", "write", "7");
            cWithFd3(e, "eventfd", "3", "write", "35");
            assertEquals(42, e.take());
            e.add(5);
            assertEquals("5\n", cWithFd3(e, "eventfd", "3", "read"));
        }
    }

    @Test
    void a_counter_incremented_by_java_and_c_processes_under_one_named_semaphore_is_exact()
            throws Exception {
        String sem = name("sem");
        String shm = name("shm");
        int perProcess = 2000;
        try (NamedSemaphore s = NamedSemaphore.createExclusive(sem, 0600, 1);
                PosixSharedMemory mem = PosixSharedMemory.createExclusive(shm, 0600, 4096);
                Mapping m = mem.map()) {
            List<Processes.Child> children = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    children.add(
                            ChildJvm.start(
                                    PosixCounterChild.class, sem, shm, "8", "" + perProcess));
                }
                for (int i = 0; i < 4; i++) {
                    children.add(
                            Processes.start(
                                    List.of(peer(), "counter", sem, shm, "8", "" + perProcess)));
                }
                for (Processes.Child c : children) {
                    c.await(Duration.ofSeconds(120)).assertExit(0);
                }
            } finally {
                children.forEach(Processes.Child::close);
            }
            assertEquals(
                    6L * perProcess,
                    m.segment().get(ValueLayout.JAVA_LONG, 8),
                    "every read-modify-write happened under the semaphore");
            assertEquals(1, s.value());
            s.unlink();
            mem.unlink();
        }
    }
}
