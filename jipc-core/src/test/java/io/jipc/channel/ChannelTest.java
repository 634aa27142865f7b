package io.jipc.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.AlreadyExistsException;
import io.jipc.Errno;
import io.jipc.InterruptedCallException;
import io.jipc.IpcException;
import io.jipc.NotFoundException;
import io.jipc.sysv.SharedMemory;
import io.jipc.testkit.VirtualThreadProbe;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/** The channel within one process: roles, offer/poll, claims, wrap, blocking calls, creation. */
class ChannelTest {
    private final List<Path> files = new ArrayList<>();

    private Path fresh() {
        Path p = TestChannels.freshPath();
        files.add(p);
        return p;
    }

    @AfterEach
    void removeFiles() throws Exception {
        for (Path p : files) {
            Files.deleteIfExists(p);
        }
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(1);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> drain(ChannelReader r) throws IpcException {
        List<String> got = new ArrayList<>();
        while (r.poll(
                        m ->
                                got.add(
                                        new String(
                                                m.toArray(ValueLayout.JAVA_BYTE),
                                                StandardCharsets.UTF_8)),
                        1000)
                > 0) {
            // keep polling
        }
        return got;
    }

    @Test
    void messages_go_through_in_order_whole_and_with_their_exact_lengths() throws Exception {
        try (Channel ch = Channel.create(fresh(), 0600, 4096, ChannelKind.SPSC);
                ChannelWriter w = ch.writer();
                ChannelReader r = ch.reader()) {
            assertEquals(4096, ch.capacity());
            assertEquals(1008, ch.maxMessage());
            assertTrue(w.offer(bytes("a")));
            assertTrue(w.offer(ByteBuffer.wrap(bytes("two"))));
            assertTrue(w.offer(MemorySegment.ofArray(bytes("three!"))));
            ByteBuffer direct = ByteBuffer.allocateDirect(8).put(bytes("direct")).flip();
            assertTrue(w.offer(direct));
            assertEquals(0, direct.remaining(), "the buffer's position moved to its limit");
            assertEquals(List.of("a", "two", "three!", "direct"), drain(r));
            assertEquals(0, r.poll(m -> {}, 10));
            ByteBuffer dst = ByteBuffer.allocate(10);
            assertEquals(-1, r.tryReceive(dst));
        }
    }

    @Test
    void the_ring_wraps_with_padding_records_and_offer_says_false_when_full() throws Exception {
        try (Channel ch = Channel.create(fresh(), 0600, 1024, ChannelKind.SPSC);
                ChannelWriter w = ch.writer();
                ChannelReader r = ch.reader()) {
            int sent = 0;
            int received = 0;
            byte[] msg = new byte[100];
            for (int round = 0; round < 50; round++) {
                int n = 0;
                while (true) {
                    msg[0] = (byte) sent;
                    msg[99] = (byte) ~sent;
                    if (!w.offer(msg)) {
                        break;
                    }
                    sent++;
                    n++;
                }
                assertTrue(n >= 1, "room for at least one message after a drain");
                int[] expect = {received};
                received +=
                        r.poll(
                                m -> {
                                    assertEquals(100, m.byteSize());
                                    assertEquals((byte) expect[0], m.get(ValueLayout.JAVA_BYTE, 0));
                                    assertEquals(
                                            (byte) ~expect[0], m.get(ValueLayout.JAVA_BYTE, 99));
                                    expect[0]++;
                                },
                                Integer.MAX_VALUE);
                assertEquals(sent, received);
            }
            assertTrue(r.position() > 10 * 1024, "went round the ring many times: " + r.position());
            ChannelStatus st = ch.status();
            assertEquals(st.head(), st.tail());
            assertEquals(0, st.messages());
        }
    }

    @Test
    void lengths_outside_one_to_max_message_are_refused_before_touching_the_ring()
            throws Exception {
        try (Channel ch = Channel.create(fresh(), 0600, 1024, ChannelKind.SPSC);
                ChannelWriter w = ch.writer()) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> w.offer(new byte[0]));
            assertTrue(e.getMessage().contains("length=0"), e.getMessage());
            assertThrows(
                    IllegalArgumentException.class, () -> w.offer(new byte[ch.maxMessage() + 1]));
            assertTrue(w.offer(new byte[ch.maxMessage()]));
            assertThrows(IllegalArgumentException.class, () -> w.tryClaim(-1));
        }
    }

    @Test
    void a_claim_is_invisible_until_committed_and_an_aborted_one_is_skipped() throws Exception {
        try (Channel ch = Channel.create(fresh(), 0600, 4096, ChannelKind.MPSC);
                ChannelWriter w = ch.writer();
                ChannelWriter w2 = ch.writer();
                ChannelReader r = ch.reader()) {
            Claim c = w.tryClaim(5).orElseThrow();
            c.segment().copyFrom(MemorySegment.ofArray(bytes("hello")));
            assertTrue(w2.offer(bytes("behind")), "another writer writes behind the open claim");
            assertEquals(List.of(), drain(r), "the reader waits at the open claim");
            assertThrows(
                    IllegalStateException.class, () -> w.offer(bytes("x")), "one claim at a time");
            c.commit();
            assertThrows(IllegalStateException.class, c::commit);
            assertThrows(IllegalStateException.class, c::segment);
            assertEquals(List.of("hello", "behind"), drain(r));
            Claim d = w.tryClaim(3).orElseThrow();
            d.segment().copyFrom(MemorySegment.ofArray(bytes("bad")));
            d.abort();
            assertTrue(w.offer(bytes("after")));
            assertEquals(List.of("after"), drain(r));
        }
    }

    @Test
    void an_spsc_channel_takes_one_writer_and_any_channel_one_reader() throws Exception {
        try (Channel ch = Channel.create(fresh(), 0600, 4096, ChannelKind.SPSC);
                ChannelReader r = ch.reader()) {
            ChannelWriter w = ch.writer();
            IpcException e = assertThrows(IpcException.class, ch::writer);
            assertEquals(Errno.EBUSY, e.errno());
            assertTrue(e.getMessage().contains("one writer at a time"), e.getMessage());
            IpcException e2 = assertThrows(IpcException.class, ch::reader);
            assertEquals(Errno.EBUSY, e2.errno());
            w.close();
            try (ChannelWriter again = ch.writer()) {
                assertTrue(again.offer(bytes("from the second writer")));
            }
            assertEquals(List.of("from the second writer"), drain(r));
        }
    }

    @Test
    void mpsc_writers_on_many_threads_lose_nothing_and_keep_each_writers_order() throws Exception {
        int writers = 4;
        int perWriter = 200_000;
        try (Channel ch = Channel.create(fresh(), 0600, 16384, ChannelKind.MPSC);
                ChannelReader r = ch.reader()) {
            List<Thread> threads = new ArrayList<>();
            for (int id = 0; id < writers; id++) {
                int me = id;
                threads.add(
                        Thread.ofPlatform()
                                .start(
                                        () -> {
                                            try (ChannelWriter w = ch.writer()) {
                                                ByteBuffer b = ByteBuffer.allocate(64);
                                                for (int i = 0; i < perWriter; i++) {
                                                    b.clear();
                                                    b.putInt(me).putInt(i).limit(8 + (i % 50));
                                                    b.position(0);
                                                    w.send(b);
                                                }
                                            } catch (IpcException e) {
                                                throw new IllegalStateException(e);
                                            }
                                        }));
            }
            int[] next = new int[writers];
            long total = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(100);
            while (total < (long) writers * perWriter && System.nanoTime() < deadline) {
                total +=
                        r.poll(
                                m -> {
                                    int id =
                                            m.get(
                                                    ValueLayout.JAVA_INT_UNALIGNED.withOrder(
                                                            java.nio.ByteOrder.BIG_ENDIAN),
                                                    0);
                                    int seq =
                                            m.get(
                                                    ValueLayout.JAVA_INT_UNALIGNED.withOrder(
                                                            java.nio.ByteOrder.BIG_ENDIAN),
                                                    4);
                                    assertEquals(next[id], seq, "writer " + id);
                                    assertEquals(8 + (seq % 50), m.byteSize());
                                    next[id]++;
                                },
                                256);
            }
            for (Thread t : threads) {
                t.join(10_000);
            }
            for (int id = 0; id < writers; id++) {
                assertEquals(perWriter, next[id], "writer " + id);
            }
        }
    }

    @Test
    void receive_waits_for_a_message_and_times_out_honestly() throws Exception {
        try (Channel ch = Channel.create(fresh(), 0600, 4096, ChannelKind.SPSC);
                ChannelReader r = ch.reader();
                ChannelWriter w = ch.writer()) {
            long start = System.nanoTime();
            assertEquals(-1, r.receive(ByteBuffer.allocate(10), Duration.ofMillis(200)));
            assertTrue(System.nanoTime() - start >= 200_000_000L, "waited the whole timeout");
            assertNull(r.receive(Duration.ZERO));
            CompletableFuture<byte[]> got =
                    CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    return r.receive(Duration.ofSeconds(30));
                                } catch (IpcException e) {
                                    throw new IllegalStateException(e);
                                }
                            });
            await("the reader sleeps", () -> ch.status().readerWaiting());
            w.send(ByteBuffer.wrap(bytes("wake up")));
            assertArrayEquals(bytes("wake up"), got.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void a_sleeping_reader_costs_no_cpu() throws Exception {
        try (Channel ch = Channel.create(fresh(), 0600, 4096, ChannelKind.SPSC);
                ChannelReader r = ch.reader();
                ChannelWriter w = ch.writer()) {
            AtomicLong tid = new AtomicLong();
            Thread t =
                    Thread.ofPlatform()
                            .start(
                                    () -> {
                                        tid.set(io.jipc.internal.linux.Signals.gettid());
                                        try {
                                            r.receive(ByteBuffer.allocate(16));
                                        } catch (IpcException e) {
                                            throw new IllegalStateException(e);
                                        }
                                    });
            await("the reader sleeps", () -> ch.status().readerWaiting() && tid.get() != 0);
            long ticks0 = cpuTicks(tid.get());
            Thread.sleep(300);
            long ticks1 = cpuTicks(tid.get());
            w.offer(bytes("done"));
            t.join(10_000);
            assertFalse(t.isAlive());
            // 300 ms of spinning would be ~30 ticks (10 ms each) of CPU; a futex sleeper accrues
            // none
            assertTrue(
                    ticks1 - ticks0 <= 2,
                    "the sleeping reader used " + (ticks1 - ticks0) + " ticks of CPU in 300 ms");
        }
    }

    /** utime + stime of a thread of this process, in clock ticks (proc(5)). */
    static long cpuTicks(long tid) throws java.io.IOException {
        String line;
        try (java.io.BufferedReader in =
                Files.newBufferedReader(Path.of("/proc/self/task/" + tid + "/stat"))) {
            line = in.readLine();
        }
        String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15
    }

    @Test
    void send_waits_for_room_until_the_reader_frees_it() throws Exception {
        try (Channel ch = Channel.create(fresh(), 0600, 1024, ChannelKind.MPSC);
                ChannelReader r = ch.reader();
                ChannelWriter w = ch.writer()) {
            byte[] msg = new byte[200];
            while (w.offer(msg)) {
                // fill
            }
            assertFalse(
                    w.send(ByteBuffer.wrap(msg), Duration.ofMillis(100)), "timed out: still full");
            CompletableFuture<Void> sent =
                    CompletableFuture.runAsync(
                            () -> {
                                try {
                                    w.send(ByteBuffer.wrap(msg));
                                } catch (IpcException e) {
                                    throw new IllegalStateException(e);
                                }
                            });
            await("the writer sleeps", () -> ch.status().writersWaiting());
            assertTrue(r.poll(m -> {}, 1) == 1);
            sent.get(10, TimeUnit.SECONDS);
        }
    }

    private static void interruptReceive(Thread.Builder builder) throws Exception {
        Path p = TestChannels.freshPath();
        try (Channel ch = Channel.create(p, 0600, 4096, ChannelKind.SPSC);
                ChannelReader r = ch.reader()) {
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread t =
                    builder.start(
                            () -> {
                                try {
                                    r.receive(ByteBuffer.allocate(16));
                                    outcome.complete(null);
                                } catch (Throwable e) {
                                    outcome.complete(
                                            Thread.currentThread().isInterrupted()
                                                    ? e
                                                    : new AssertionError("status lost", e));
                                }
                            });
            await("the reader sleeps", () -> ch.status().readerWaiting());
            t.interrupt();
            InterruptedCallException e =
                    assertInstanceOf(
                            InterruptedCallException.class, outcome.get(10, TimeUnit.SECONDS));
            assertEquals(Errno.EINTR, e.errno());
            t.join(5000);
            // nothing was taken: a message sent now is still received
            try (ChannelWriter w = ch.writer()) {
                w.offer(bytes("still here"));
            }
            assertEquals(10, r.tryReceive(ByteBuffer.allocate(16)));
        } finally {
            Files.deleteIfExists(p);
        }
    }

    @Test
    void interrupt_ends_a_receive_on_a_platform_thread() throws Exception {
        interruptReceive(Thread.ofPlatform());
    }

    @Test
    void interrupt_ends_a_receive_on_a_virtual_thread() throws Exception {
        interruptReceive(Thread.ofVirtual());
    }

    @Test
    void many_virtual_threads_waiting_on_channels_do_not_starve_the_scheduler() throws Exception {
        List<Channel> channels = new ArrayList<>();
        List<Thread> readers = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                Channel ch = Channel.create(fresh(), 0600, 1024, ChannelKind.SPSC);
                channels.add(ch);
                ChannelReader r = ch.reader();
                readers.add(
                        Thread.ofVirtual()
                                .start(
                                        () -> {
                                            try {
                                                r.receive(ByteBuffer.allocate(16));
                                            } catch (IpcException e) {
                                                throw new IllegalStateException(e);
                                            }
                                        }));
            }
            for (Channel ch : channels) {
                await("reader sleeps", () -> ch.status().readerWaiting());
            }
            VirtualThreadProbe.millisFor200Sleeps();
            for (Channel ch : channels) {
                try (ChannelWriter w = ch.writer()) {
                    w.offer(bytes("go"));
                }
            }
            for (Thread t : readers) {
                assertTrue(t.join(Duration.ofSeconds(10)));
            }
        } finally {
            channels.forEach(Channel::close);
        }
    }

    @Test
    void close_wakes_a_thread_waiting_in_receive_and_use_after_close_is_an_exception()
            throws Exception {
        Channel ch = Channel.create(fresh(), 0600, 4096, ChannelKind.SPSC);
        ChannelReader r = ch.reader();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread.ofPlatform()
                .start(
                        () -> {
                            try {
                                r.receive(ByteBuffer.allocate(16));
                                outcome.complete(null);
                            } catch (Throwable e) {
                                outcome.complete(e);
                            }
                        });
        await("the reader sleeps", () -> ch.status().readerWaiting());
        ch.close();
        assertInstanceOf(IllegalStateException.class, outcome.get(10, TimeUnit.SECONDS));
        assertThrows(IllegalStateException.class, ch::status);
        assertThrows(IllegalStateException.class, ch::writer);
        ch.close(); // idempotent
        try (Channel again = Channel.open(files.get(0))) {
            assertEquals(0, again.status().reader(), "close gave the reader role back");
        }
    }

    @Test
    void create_open_and_exclusive_create_on_files_with_an_exact_mode() throws Exception {
        Path p = fresh();
        assertThrows(NotFoundException.class, () -> Channel.open(p));
        try (Channel a = Channel.createExclusive(p, 0640, 8192, ChannelKind.MPSC)) {
            assertEquals(
                    "rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
            assertEquals(Channel.regionSize(8192, ChannelKind.MPSC), Files.size(p));
            assertThrows(
                    AlreadyExistsException.class,
                    () -> Channel.createExclusive(p, 0600, 1024, ChannelKind.SPSC));
            try (Channel b = Channel.create(p, 0600, 1024, ChannelKind.SPSC);
                    Channel c = Channel.open(p)) {
                assertEquals(
                        ChannelKind.MPSC, b.kind(), "create opened the existing channel as it is");
                assertEquals(8192, c.capacity());
                try (ChannelWriter w = a.writer();
                        ChannelReader r = c.reader()) {
                    w.offer(bytes("across handles"));
                    assertEquals(List.of("across handles"), drain(r));
                }
            }
            a.remove();
            assertFalse(Files.exists(p));
        }
        assertThrows(
                IllegalArgumentException.class,
                () -> Channel.create(fresh(), 0600, 3000, ChannelKind.SPSC));
        assertThrows(IllegalArgumentException.class, () -> Channel.path("a/b"));
        assertEquals(Path.of("/dev/shm/x"), Channel.path("x"));
    }

    @Test
    void a_channel_in_a_memfd_and_one_in_a_system_v_segment() throws Exception {
        try (Channel ch = Channel.createAnonymous(4096, ChannelKind.SPSC);
                Channel other = Channel.open(ch.descriptor().orElseThrow());
                ChannelWriter w = ch.writer();
                ChannelReader r = other.reader()) {
            w.offer(bytes("memfd"));
            assertEquals(List.of("memfd"), drain(r));
            ch.remove(); // nothing to remove
        }
        SharedMemory shm =
                SharedMemory.createPrivate(0600, Channel.regionSize(65536, ChannelKind.MPSC));
        try {
            try (Channel ch = Channel.create(shm, ChannelKind.MPSC);
                    ChannelWriter w = ch.writer()) {
                assertEquals(65536, ch.capacity());
                w.offer(bytes("sysv"));
            }
            try (Channel ch = Channel.open(shm);
                    ChannelReader r = ch.reader()) {
                assertEquals(List.of("sysv"), drain(r));
                assertEquals("shmid " + shm.id(), ch.name());
            }
        } finally {
            shm.remove();
        }
    }

    @Test
    void a_memfd_channel_passed_over_a_unix_socket_with_scm_rights() throws Exception {
        try (Channel ch = Channel.createAnonymous(4096, ChannelKind.SPSC);
                io.jipc.socket.UnixSocket.Pair pair =
                        io.jipc.socket.UnixSocket.pair(io.jipc.socket.SocketType.SEQPACKET);
                ChannelWriter w = ch.writer()) {
            pair.first()
                    .sendWithDescriptors(
                            ByteBuffer.wrap(new byte[] {1}), ch.descriptor().orElseThrow());
            io.jipc.socket.UnixSocket.Received got =
                    pair.second().receive(ByteBuffer.allocate(8), 1);
            assertEquals(1, got.descriptors().size());
            try (io.jipc.RawDescriptor d = got.descriptors().get(0);
                    Channel other = Channel.open(d);
                    ChannelReader r = other.reader()) {
                w.offer(bytes("over SCM_RIGHTS"));
                assertEquals(List.of("over SCM_RIGHTS"), drain(r));
                assertEquals("fd " + d.fd(), other.name());
            }
        }
    }

    @Test
    void status_shows_positions_messages_roles_and_waiters() throws Exception {
        try (Channel ch = Channel.create(fresh(), 0600, 4096, ChannelKind.MPSC);
                ChannelWriter w = ch.writer()) {
            w.offer(bytes("one"));
            w.offer(bytes("two"));
            ChannelStatus st = ch.status();
            assertEquals(ChannelKind.MPSC, st.kind());
            assertEquals(2, st.messages());
            assertEquals(64, st.used());
            assertEquals(0, st.reader());
            assertEquals(1, st.writers().size());
            assertEquals(ProcessHandle.current().pid(), st.writers().get(0).pid());
            assertTrue(st.writers().get(0).alive());
            assertFalse(st.readerWaiting());
            assertEquals(0, st.abandoned());
        }
    }
}
