package io.jipc.pipe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.internal.linux.Unistd;
import io.jipc.testkit.ChildJvm;
import io.jipc.testkit.DescriptionMode;
import io.jipc.testkit.Gcc;
import io.jipc.testkit.Processes;
import io.jipc.testkit.ThreadStates;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code O_NONBLOCK} belongs to the open file description, which a child shares: a C program sets
 * or clears it on its inherited copy behind this end's back. A read of a non-blocking end that then
 * waits no longer stalls the JVM (it was a {@code critical} downcall, which held up the next
 * safepoint and with it every thread), and a blocking end's streams still wait and lose nothing
 * (they once returned 0 or dropped the bytes of a short write).
 */
class SharedModeTest {
    private static <T> T within(Future<T> f) throws Exception {
        return f.get(60, TimeUnit.SECONDS);
    }

    @Test
    void a_read_another_process_made_blocking_does_not_stall_the_jvm() {
        // The read waits, as the description says (as it would in C). It once did so in a
        // downcall linked critical: the next safepoint (System.gc()) then waited for it, and with
        // it every thread of the JVM. In a child JVM, which is killed if it freezes.
        Gcc.assumeAvailable();
        Processes.Result r =
                ChildJvm.run(Duration.ofSeconds(90), SafepointChild.class).assertExit(0);
        assertEquals("gc done\nread 1\n", r.stdout());
    }

    @Test
    void a_non_blocking_end_reads_and_writes_what_there_is() throws Exception {
        try (Pipe p = Pipe.open()) {
            ReadEnd r = p.source();
            WriteEnd w = p.sink();
            r.configureBlocking(false);
            w.configureBlocking(false);
            int cap = w.capacity();
            byte[] big = new byte[cap + 4096];
            Arrays.fill(big, (byte) 7);
            assertEquals(
                    cap, w.write(ByteBuffer.wrap(big)), "a non-blocking write writes what fits");
            assertEquals(0, w.write(ByteBuffer.allocateDirect(16)));
            ByteBuffer got = ByteBuffer.allocate(cap + 1);
            assertEquals(cap, r.read(got));
            assertEquals(0, r.read(ByteBuffer.allocateDirect(16)));
        }
    }

    @Test
    void a_blocking_output_stream_loses_nothing_when_another_process_set_non_blocking()
            throws Exception {
        try (Pipe p = Pipe.open()) {
            DescriptionMode.setByAnotherProcess(true, p.sink());
            assertTrue(p.sink().isBlocking());
            byte[] chunk = new byte[65536];
            int rounds = 16;
            CompletableFuture<byte[]> reader =
                    CompletableFuture.supplyAsync(
                            () -> {
                                try (InputStream in = p.source().inputStream()) {
                                    return in.readAllBytes();
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                            });
            try (OutputStream out = p.sink().outputStream()) {
                for (int i = 0; i < rounds; i++) {
                    Arrays.fill(chunk, (byte) i);
                    out.write(chunk);
                }
            }
            byte[] all = within(reader);
            assertEquals(rounds * chunk.length, all.length, "every byte arrives");
            for (int i = 0; i < rounds; i++) {
                byte[] expected = new byte[chunk.length];
                Arrays.fill(expected, (byte) i);
                assertArrayEquals(
                        expected,
                        Arrays.copyOfRange(all, i * chunk.length, (i + 1) * chunk.length),
                        "chunk " + i);
            }
        }
    }

    @Test
    void a_blocking_input_stream_waits_when_another_process_set_non_blocking() throws Exception {
        try (Pipe p = Pipe.open()) {
            DescriptionMode.setByAnotherProcess(true, p.source());
            AtomicInteger tid = new AtomicInteger();
            CountDownLatch started = new CountDownLatch(1);
            CompletableFuture<Integer> first = new CompletableFuture<>();
            Thread t =
                    Thread.ofPlatform()
                            .start(
                                    () -> {
                                        tid.set(ThreadStates.currentTid());
                                        started.countDown();
                                        try {
                                            byte[] b = new byte[8];
                                            int n = p.source().inputStream().read(b, 0, 8);
                                            first.complete(n > 0 ? b[0] & 0xff : -100 - n);
                                        } catch (Exception e) {
                                            first.completeExceptionally(e);
                                        }
                                    });
            // The read met EAGAIN and waits in poll(2) (it once returned 0, which InputStream
            // forbids).
            assertTrue(started.await(60, TimeUnit.SECONDS));
            ThreadStates.awaitBlockedIn(tid.get(), "poll");
            assertFalse(first.isDone());
            p.sink().write(ByteBuffer.wrap(new byte[] {42}));
            assertEquals(42, within(first));
            t.join(TimeUnit.SECONDS.toMillis(60));
            // and a timed read still times out, with nothing read
            assertEquals(0, p.source().read(ByteBuffer.allocate(4), Duration.ofMillis(20)));
        }
    }

    @Test
    void what_an_eventfd_says_of_rwf_nowait_does_not_change_how_pipes_are_read() throws Exception {
        try (io.jipc.posix.EventFd e = io.jipc.posix.EventFd.create(0);
                Pipe p = Pipe.open()) {
            e.add(io.jipc.posix.EventFd.MAX_VALUE);
            assertFalse(e.tryAdd(1)); // pwritev2(RWF_NOWAIT) of an eventfd: EOPNOTSUPP
            assertFalse(Unistd.EVENTFD.writesNoWait());
            // a timed read (preadv2 with RWF_NOWAIT first) and a virtual thread's write
            assertEquals(0, p.source().read(ByteBuffer.allocateDirect(4), Duration.ofMillis(1)));
            Thread.ofVirtual()
                    .start(() -> write(p.sink(), ByteBuffer.wrap(new byte[] {9})))
                    .join(60_000);
            ByteBuffer b = ByteBuffer.allocateDirect(4);
            assertEquals(1, p.source().read(b, Duration.ofSeconds(30)));
            assertEquals(9, b.get(0));
            assertTrue(
                    p.source().kind.readsNoWait() && p.sink().kind.writesNoWait(),
                    "pipes keep RWF_NOWAIT");
        }
    }

    private static int read(ReadEnd r, ByteBuffer b) {
        try {
            return r.read(b);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int write(WriteEnd w, ByteBuffer b) {
        try {
            return w.write(b);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
