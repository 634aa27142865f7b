package io.jipc.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.Errno;
import io.jipc.InterruptedCallException;
import io.jipc.IpcException;
import io.jipc.internal.linux.Signals;
import io.jipc.testkit.Gcc;
import io.jipc.testkit.Processes;
import io.jipc.testkit.ThreadStates;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Interrupts and timeouts of blocking pipe/FIFO calls, on platform and virtual threads, with other
 * processes writing and sending signals.
 */
class PipeBlockingTest {
    private Path dir;
    private Path path;

    @BeforeEach
    void makeDir() throws IOException {
        Files.createDirectories(Path.of("target"));
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "pipe-blocking");
        path = dir.resolve("f");
    }

    @AfterEach
    void cleanUp() throws IOException {
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    private static Path peer() {
        return Gcc.compileResource("c/blocking_peer.c");
    }

    /**
     * Starts a thread running the call and returns what it threw (or null), with its interrupt
     * status.
     */
    private static CompletableFuture<Throwable> startCall(
            Thread.Builder builder, AtomicInteger tid, Call call, Thread[] started) {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        started[0] =
                builder.start(
                        () -> {
                            tid.set(Signals.gettid());
                            try {
                                call.run();
                                outcome.complete(null);
                            } catch (Throwable e) {
                                outcome.complete(
                                        Thread.currentThread().isInterrupted()
                                                ? e
                                                : new AssertionError("interrupt status lost", e));
                            }
                        });
        return outcome;
    }

    interface Call {
        void run() throws Exception;
    }

    /**
     * Waits until a platform thread sits in the given system call (/proc/self/task/TID/syscall).
     */
    private static void awaitSyscall(AtomicInteger tidOf, int nr) {
        ThreadStates.await(() -> tidOf.get() != 0, () -> "the thread's tid");
        ThreadStates.awaitInSyscall(ProcessHandle.current().pid(), tidOf.get(), nr);
    }

    @Test
    void the_thread_that_waited_in_a_fifo_open_then_reads_on_the_direct_path() throws Exception {
        // The open waits through the general mechanism (a platform thread's Wait is kept for it);
        // the read after it on the same thread takes the direct path and must find that Wait
        // usable.
        Fifo f = Fifo.create(path, 0600);
        try {
            AtomicInteger tid = new AtomicInteger();
            Thread[] t = new Thread[1];
            CompletableFuture<String> got = new CompletableFuture<>();
            CompletableFuture<Throwable> outcome =
                    startCall(
                            Thread.ofPlatform(),
                            tid,
                            () -> {
                                try (ReadEnd in = f.openReader()) {
                                    ByteBuffer b = ByteBuffer.allocateDirect(64);
                                    in.read(b);
                                    got.complete(
                                            StandardCharsets.UTF_8.decode(b.flip()).toString());
                                }
                            },
                            t);
            awaitSyscall(tid, 257); // openat, waiting for a writer
            Processes.run(
                            Duration.ofSeconds(30),
                            peer().toString(),
                            "write",
                            path.toString(),
                            "direct")
                    .assertExit(0);
            assertEquals(null, outcome.get(30, TimeUnit.SECONDS));
            assertEquals("direct", got.get(1, TimeUnit.SECONDS));
        } finally {
            f.remove();
        }
    }

    private void interruptBlockedRead(Thread.Builder builder) throws Exception {
        Fifo f = Fifo.create(path, 0600);
        try (ReadEnd keeper = f.openReaderNonBlocking();
                ReadEnd r = f.openReaderNonBlocking();
                WriteEnd w = f.openWriterNonBlocking()) {
            r.configureBlocking(true);
            assertTrue(
                    w.isOpen(),
                    "a writer keeps the FIFO open, so the read waits instead of seeing end-of-file");
            AtomicInteger tid = new AtomicInteger();
            Thread[] t = new Thread[1];
            CompletableFuture<Throwable> outcome =
                    startCall(builder, tid, () -> r.read(ByteBuffer.allocate(64)), t);
            if (t[0].isVirtual()) {
                // the read runs on a helper platform thread: await a thread in read(2) of this end
                ThreadStates.awaitAnyInSyscall(ProcessHandle.current().pid(), 0, r.fd());
            } else {
                awaitSyscall(tid, 0); // read
            }
            t[0].interrupt();
            Throwable e = outcome.get(10, TimeUnit.SECONDS);
            assertInstanceOf(ClosedByInterruptException.class, e);
            assertFalse(r.isOpen(), "the end is closed, as for a JDK channel");
            // another process writes now; the other reader gets every byte
            Processes.run(
                            Duration.ofSeconds(30),
                            peer().toString(),
                            "write",
                            path.toString(),
                            "hello")
                    .assertExit(0);
            keeper.configureBlocking(true);
            ByteBuffer got = ByteBuffer.allocate(64);
            assertEquals(5, keeper.read(got, Duration.ofSeconds(10)));
            assertEquals("hello", new String(got.array(), 0, 5, StandardCharsets.US_ASCII));
        } finally {
            f.remove();
        }
    }

    @Test
    void interrupt_of_a_pipe_read_on_a_platform_thread_closes_the_end_and_loses_no_byte()
            throws Exception {
        interruptBlockedRead(Thread.ofPlatform());
    }

    @Test
    void interrupt_of_a_pipe_read_on_a_virtual_thread_closes_the_end_and_loses_no_byte()
            throws Exception {
        interruptBlockedRead(Thread.ofVirtual());
    }

    private void interruptBlockedOpen(Thread.Builder builder) throws Exception {
        Fifo f = Fifo.create(path, 0600);
        try {
            AtomicInteger tid = new AtomicInteger();
            Thread[] t = new Thread[1];
            CompletableFuture<Throwable> outcome =
                    startCall(builder, tid, () -> f.openReader().close(), t);
            if (t[0].isVirtual()) {
                // the open runs on a helper platform thread: await a thread waiting for a FIFO
                // partner
                ThreadStates.awaitAnyBlockedIn(ProcessHandle.current().pid(), "wait_for_partner");
            } else {
                awaitSyscall(tid, 257); // openat
            }
            t[0].interrupt();
            Throwable e = outcome.get(10, TimeUnit.SECONDS);
            InterruptedCallException ie = assertInstanceOf(InterruptedCallException.class, e);
            assertEquals(Errno.EINTR, ie.errno());
            // the interrupted open left no reader behind: a non-blocking writer finds none
            IpcException none = assertThrows(IpcException.class, f::openWriterNonBlocking);
            assertEquals(Errno.ENXIO, none.errno());
        } finally {
            f.remove();
        }
    }

    @Test
    void interrupt_of_a_fifo_open_on_a_platform_thread_ends_it_and_leaves_nothing_open()
            throws Exception {
        interruptBlockedOpen(Thread.ofPlatform());
    }

    @Test
    void interrupt_of_a_fifo_open_on_a_virtual_thread_ends_it_and_leaves_nothing_open()
            throws Exception {
        interruptBlockedOpen(Thread.ofVirtual());
    }

    @Test
    void a_timed_read_keeps_its_timeout_under_a_stream_of_signals_from_another_process()
            throws Exception {
        try (Pipe p = Pipe.open()) {
            AtomicInteger tid = new AtomicInteger();
            CompletableFuture<long[]> result = new CompletableFuture<>();
            Thread.ofPlatform()
                    .start(
                            () -> {
                                tid.set(Signals.gettid());
                                try {
                                    long start = System.nanoTime();
                                    int n =
                                            p.source()
                                                    .read(
                                                            ByteBuffer.allocate(16),
                                                            Duration.ofMillis(1500));
                                    result.complete(
                                            new long[] {
                                                n, (System.nanoTime() - start) / 1_000_000
                                            });
                                } catch (Throwable e) {
                                    result.completeExceptionally(e);
                                }
                            });
            awaitSyscall(tid, 0);
            var storm =
                    Processes.start(
                            List.of(
                                    peer().toString(),
                                    "sigstorm",
                                    "" + ProcessHandle.current().pid(),
                                    "" + tid.get(),
                                    "13",
                                    "500",
                                    "2000"));
            long[] r = result.get(30, TimeUnit.SECONDS);
            String sent = storm.await(Duration.ofSeconds(30)).assertExit(0).stdout().trim();
            assertTrue(Integer.parseInt(sent) > 0, "signals were sent: " + sent);
            assertEquals(0, r[0], "timed out with nothing read");
            // signals must not shorten the wait (how much they lengthen it is for a benchmark, not
            // a test)
            assertTrue(
                    r[1] >= 1490,
                    "elapsed " + r[1] + " ms for a 1500 ms timeout under " + sent + " signals");
            assertTrue(p.source().isOpen(), "a timeout does not close the end");
            // the pipe still works and nothing was taken
            p.sink().write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            assertEquals(3, p.source().read(ByteBuffer.allocate(16), Duration.ofSeconds(10)));
        }
    }

    @Test
    void timed_fifo_opens_return_empty_when_no_peer_comes_and_an_end_when_one_is_there()
            throws Exception {
        Fifo f = Fifo.create(path, 0600);
        try {
            long start = System.nanoTime();
            Optional<ReadEnd> none = f.openReader(Duration.ofMillis(300));
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(none.isEmpty());
            assertTrue(ms >= 290, "returned after " + ms + " ms");
            assertTrue(f.openWriter(Duration.ofMillis(100)).isEmpty());
            try (ReadEnd keeper = f.openReaderNonBlocking()) {
                assertTrue(keeper.isOpen());
                Optional<WriteEnd> w = f.openWriter(Duration.ofSeconds(10));
                assertTrue(w.isPresent());
                assertTrue(w.get().isBlocking(), "the writer is in blocking mode");
                w.get().close();
            }
        } finally {
            f.remove();
        }
    }

    @Test
    void a_virtual_thread_reads_what_another_process_writes_later() throws Exception {
        Fifo f = Fifo.create(path, 0600);
        try {
            CompletableFuture<String> got = new CompletableFuture<>();
            Thread.ofVirtual()
                    .start(
                            () -> {
                                try (ReadEnd r = f.openReader()) {
                                    ByteBuffer b = ByteBuffer.allocate(64);
                                    int n = r.readFully(b);
                                    got.complete(
                                            new String(b.array(), 0, n, StandardCharsets.US_ASCII));
                                } catch (Throwable e) {
                                    got.completeExceptionally(e);
                                }
                            });
            // the virtual thread's open waits for a writer (on a helper thread) before C comes
            ThreadStates.awaitAnyBlockedIn(ProcessHandle.current().pid(), "wait_for_partner");
            Processes.run(
                            Duration.ofSeconds(30),
                            peer().toString(),
                            "write",
                            path.toString(),
                            "from C")
                    .assertExit(0);
            assertEquals("from C", got.get(30, TimeUnit.SECONDS));
        } finally {
            f.remove();
        }
    }
}
