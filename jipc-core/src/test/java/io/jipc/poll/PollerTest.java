package io.jipc.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static java.nio.charset.StandardCharsets.US_ASCII;

import io.jipc.Descriptor;
import io.jipc.InterruptedCallException;
import io.jipc.RawDescriptor;
import io.jipc.internal.linux.Descriptors;
import io.jipc.internal.linux.Poll;
import io.jipc.internal.linux.Unistd;
import io.jipc.pipe.Child;
import io.jipc.pipe.Fifo;
import io.jipc.pipe.Pipe;
import io.jipc.pipe.ReadEnd;
import io.jipc.pipe.Spawn;
import io.jipc.pipe.WriteEnd;
import io.jipc.socket.SocketType;
import io.jipc.socket.UnixAddress;
import io.jipc.socket.UnixServerSocket;
import io.jipc.socket.UnixSocket;
import io.jipc.testkit.ThreadStates;
import io.jipc.testkit.VirtualThreadProbe;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * {@link Poller} over pipes, FIFOs, sockets and listening sockets, from platform and virtual
 * threads.
 */
class PollerTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Set<Readiness> READ = EnumSet.of(Readiness.READ);

    @TempDir Path dir;

    static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(US_ASCII));
    }

    /** The descriptors an epoll set watches, from the "tfd:" lines of /proc/self/fdinfo/EPFD. */
    static List<Integer> watched(Poller p) throws IOException {
        List<Integer> fds = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + p.fd()))) {
            if (line.startsWith("tfd:")) {
                fds.add(Integer.parseInt(line.substring(4).trim().split("\\s+")[0]));
            }
        }
        return fds;
    }

    static int openDescriptors() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.count();
        }
    }

    /** One poll that must find exactly {@code key}. */
    static Poller.Key only(Poller p, Poller.Key key) throws IOException {
        List<Poller.Key> ready = p.poll(WAIT);
        assertEquals(List.of(key), ready);
        return ready.get(0);
    }

    @Test
    void a_pipe_is_reported_readable_while_it_holds_data_and_hung_up_when_its_writers_are_gone()
            throws Exception {
        try (Poller p = Poller.open();
                Pipe pipe = Pipe.open()) {
            Poller.Key k = p.register(pipe.source(), READ);
            assertTrue(p.poll(Duration.ZERO).isEmpty(), "empty pipe: nothing ready");
            pipe.sink().write(text("abc"));
            assertEquals(Set.of(Readiness.READ), only(p, k).ready());
            assertEquals(
                    List.of(k),
                    p.poll(Duration.ZERO),
                    "level triggered: still ready while data is left");
            pipe.source().read(ByteBuffer.allocate(16));
            assertTrue(p.poll(Duration.ZERO).isEmpty());
            pipe.sink().close();
            assertTrue(only(p, k).isReady(Readiness.HANG_UP), "every writer closed");
            assertFalse(k.isReady(Readiness.READ));
        }
    }

    @Test
    void edge_triggered_keys_are_reported_once_per_arrival() throws Exception {
        try (Poller p = Poller.open();
                Pipe pipe = Pipe.open()) {
            Poller.Key k = p.register(pipe.source(), READ, Trigger.EDGE);
            assertSame(Trigger.EDGE, k.trigger());
            pipe.sink().write(text("one"));
            only(p, k);
            assertTrue(
                    p.poll(Duration.ZERO).isEmpty(),
                    "edge triggered: not again although data is left");
            pipe.sink().write(text("two"));
            only(p, k);
            ByteBuffer b = ByteBuffer.allocate(16);
            pipe.source().read(b);
            assertEquals("onetwo", new String(b.array(), 0, b.position(), US_ASCII));
        }
    }

    @Test
    void sockets_listening_sockets_and_fifos_in_one_poller_each_with_its_own_readiness()
            throws Exception {
        Path fifoPath = dir.resolve("fifo");
        Fifo fifo = Fifo.create(fifoPath, 0600);
        UnixAddress address = UnixAddress.of(dir.resolve("srv"));
        try (Poller p = Poller.open();
                ReadEnd fifoReader = fifo.openReaderNonBlocking();
                UnixServerSocket server = UnixServerSocket.bind(SocketType.STREAM, address, 0600);
                UnixSocket.Pair pair = UnixSocket.pair(SocketType.STREAM)) {
            Poller.Key fk = p.register(fifoReader, READ);
            Poller.Key sk = p.register(server, EnumSet.of(Readiness.ACCEPT));
            Poller.Key pk =
                    p.register(
                            pair.first(),
                            EnumSet.of(Readiness.READ, Readiness.WRITE, Readiness.HANG_UP));
            pk.attach("pair");
            assertEquals(
                    List.of(pk),
                    p.poll(Duration.ZERO),
                    "a socket with room is writable; a FIFO never written" + " to is not hung up");
            assertEquals(Set.of(Readiness.WRITE), pk.ready());
            pk.interest(READ);
            assertEquals(READ, pk.interest());
            assertTrue(p.poll(Duration.ZERO).isEmpty());

            try (WriteEnd w = fifo.openWriter();
                    UnixSocket client = UnixSocket.connect(SocketType.STREAM, address)) {
                w.write(text("f"));
                pair.second().send(text("s"));
                assertTrue(client.isOpen(), "a connection waits to be accepted");
                List<Poller.Key> ready = new ArrayList<>();
                while (ready.size() < 3) {
                    for (Poller.Key k : p.poll(WAIT)) {
                        if (!ready.contains(k)) {
                            ready.add(k);
                        }
                    }
                }
                assertEquals(Set.of(fk, sk, pk), Set.copyOf(ready));
                assertEquals(Set.of(Readiness.ACCEPT), sk.ready());
                assertEquals(Set.of(Readiness.READ), fk.ready());
                assertEquals("pair", pk.attachment());
                try (UnixSocket accepted = server.accept()) {
                    assertTrue(accepted.isOpen());
                }
                fifoReader.read(ByteBuffer.allocate(4));
                pair.first().receive(ByteBuffer.allocate(4));
                assertTrue(p.poll(Duration.ZERO).isEmpty());
                pk.interest(EnumSet.of(Readiness.HANG_UP));
                pair.second().shutdownOutput();
                assertEquals(
                        Set.of(Readiness.HANG_UP),
                        only(p, pk).ready(),
                        "EPOLLRDHUP: the peer stopped writing");
            }
            assertEquals(Set.of(fk, sk, pk), p.keys());
        } finally {
            fifo.remove();
        }
    }

    @Test
    void closing_a_registered_descriptor_removes_it_even_while_a_child_holds_a_copy()
            throws Exception {
        try (Poller p = Poller.open();
                Pipe pipe = Pipe.open();
                Pipe other = Pipe.open()) {
            Poller.Key k = p.register(pipe.source(), READ);
            Poller.Key o = p.register(other.source(), READ);
            int n = pipe.source().fd();
            assertTrue(watched(p).contains(n));
            // the child's copy keeps the open file description alive: epoll alone would keep
            // reporting the closed number
            Child c = Spawn.of("sleep", "60").fd(3, pipe.source()).start();
            try {
                pipe.source().close();
                assertFalse(k.isValid());
                assertFalse(watched(p).contains(n), "EPOLL_CTL_DEL before close: " + watched(p));
                pipe.sink().write(text("x"));
                // ask the kernel, not the poller (which drops what it no longer knows): the epoll
                // descriptor is readable as soon as one of its descriptors is ready
                assertEquals(
                        0,
                        Poll.poll(p.fd(), Poll.POLLIN, 0),
                        "the epoll set still reports the closed descriptor");
                assertTrue(
                        p.poll(Duration.ZERO).isEmpty(), "the closed descriptor is not reported");
                assertEquals(Set.of(o), p.keys());
                // giving a descriptor up removes it too
                int m = other.source().fd();
                RawDescriptor raw =
                        new RawDescriptor(io.jipc.internal.linux.Descriptors.dupCloseOnExec(m, 3));
                Poller.Key r = p.register(raw, READ);
                int number = raw.release();
                assertFalse(r.isValid());
                assertFalse(watched(p).contains(number));
                Unistd.close(number);
                o.cancel();
                o.cancel();
                assertFalse(o.isValid());
                assertTrue(other.source().isOpen(), "cancel leaves the descriptor open");
                assertEquals(List.of(), watched(p).stream().filter(x -> x == m).toList());
                assertTrue(p.keys().isEmpty());
            } finally {
                c.destroyForcibly();
                c.waitFor(WAIT);
            }
        }
    }

    @Test
    void wakeup_from_another_thread_ends_a_poll_and_one_made_before_ends_the_next()
            throws Exception {
        try (Poller p = Poller.open();
                Pipe pipe = Pipe.open()) {
            p.register(pipe.source(), READ);
            p.wakeup();
            assertTrue(p.poll().isEmpty(), "a wake-up made before the poll ends it at once");
            CompletableFuture<List<Poller.Key>> polled = new CompletableFuture<>();
            Thread t = pollingThread(p, polled);
            p.wakeup();
            assertTrue(polled.get(30, TimeUnit.SECONDS).isEmpty());
            assertTrue(t.join(WAIT));
        }
    }

    /**
     * Starts a platform thread that polls without a time limit, and returns once it waits in
     * epoll_wait.
     */
    static Thread pollingThread(Poller p, CompletableFuture<List<Poller.Key>> polled)
            throws Exception {
        Thread t =
                Thread.ofPlatform()
                        .start(
                                () -> {
                                    try {
                                        polled.complete(p.poll());
                                    } catch (Throwable e) {
                                        polled.completeExceptionally(e);
                                    }
                                });
        awaitEpollWait(p);
        return t;
    }

    /**
     * Waits until a thread of this process sits in epoll_wait (232) on {@code p}'s epoll
     * descriptor: the polling thread itself, or the helper thread that waits for a virtual one.
     */
    static void awaitEpollWait(Poller p) {
        ThreadStates.awaitAnyInSyscall(ProcessHandle.current().pid(), 232, p.fd());
    }

    /** Waits until a thread is parked or blocked (a virtual thread waiting in a poll). */
    static void awaitWaiting(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
            assertTrue(System.nanoTime() < deadline, "the thread never waited: " + t.getState());
            Thread.sleep(1);
        }
    }

    private static void interruptPoll(Thread.Builder builder) throws Exception {
        try (Poller p = Poller.open();
                Pipe pipe = Pipe.open()) {
            Poller.Key k = p.register(pipe.source(), READ);
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread t =
                    builder.start(
                            () -> {
                                try {
                                    p.poll();
                                    outcome.complete(null);
                                } catch (Throwable e) {
                                    outcome.complete(
                                            Thread.currentThread().isInterrupted()
                                                    ? e
                                                    : new AssertionError("status lost", e));
                                }
                            });
            awaitEpollWait(p);
            t.interrupt();
            Throwable e = outcome.get(30, TimeUnit.SECONDS);
            assertInstanceOf(InterruptedCallException.class, e);
            assertTrue(e.getMessage().contains("epoll_wait"), e.getMessage());
            assertTrue(
                    p.isOpen() && k.isValid(),
                    "an interrupt leaves the poller and its keys as they were");
            pipe.sink().write(text("x"));
            assertEquals(List.of(k), p.poll(WAIT));
        }
    }

    @Test
    void interrupt_ends_a_waiting_poll_on_a_platform_thread() throws Exception {
        interruptPoll(Thread.ofPlatform());
    }

    @Test
    void interrupt_ends_a_waiting_poll_on_a_virtual_thread() throws Exception {
        interruptPoll(Thread.ofVirtual());
    }

    @Test
    void interrupt_ends_a_poll_that_waits_for_another_threads_poll() throws Exception {
        try (Poller p = Poller.open();
                Pipe pipe = Pipe.open()) {
            Poller.Key k = p.register(pipe.source(), READ);
            CompletableFuture<List<Poller.Key>> first = new CompletableFuture<>();
            Thread polling = pollingThread(p, first);
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread second =
                    Thread.ofPlatform()
                            .start(
                                    () -> {
                                        try {
                                            outcome.complete(
                                                    new AssertionError("polled: " + p.poll()));
                                        } catch (Throwable e) {
                                            outcome.complete(
                                                    Thread.currentThread().isInterrupted()
                                                            ? e
                                                            : new AssertionError("status lost", e));
                                        }
                                    });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!(LockSupport.getBlocker(second) instanceof AbstractQueuedSynchronizer)) {
                assertTrue(
                        System.nanoTime() < deadline,
                        "the second poll never waited for the first: " + second.getState());
                Thread.sleep(1);
            }
            second.interrupt();
            Throwable e = outcome.get(30, TimeUnit.SECONDS);
            assertInstanceOf(InterruptedCallException.class, e);
            assertTrue(e.getMessage().contains("another thread's poll"), e.getMessage());
            assertFalse(first.isDone(), "the first poll waits on");
            pipe.sink().write(text("x"));
            assertEquals(List.of(k), first.get(30, TimeUnit.SECONDS));
            assertTrue(polling.join(WAIT));
        }
    }

    @Test
    void a_timed_poll_returns_empty_after_its_timeout() throws Exception {
        try (Poller p = Poller.open();
                Pipe pipe = Pipe.open()) {
            p.register(pipe.source(), READ);
            long start = System.nanoTime();
            assertTrue(p.poll(Duration.ofMillis(50)).isEmpty());
            assertTrue(
                    System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50),
                    "waited the whole timeout");
            assertThrows(IllegalArgumentException.class, () -> p.poll(Duration.ofMillis(-1)));
        }
    }

    @Test
    void many_virtual_threads_waiting_in_polls_do_not_starve_the_scheduler() throws Exception {
        int n = 3 * Runtime.getRuntime().availableProcessors() + 2;
        List<Poller> pollers = new ArrayList<>();
        List<Pipe> pipes = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        List<CompletableFuture<Integer>> got = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                Poller p = Poller.open();
                Pipe pipe = Pipe.open();
                pollers.add(p);
                pipes.add(pipe);
                p.register(pipe.source(), READ);
                CompletableFuture<Integer> f = new CompletableFuture<>();
                got.add(f);
                threads.add(
                        Thread.ofVirtual()
                                .start(
                                        () -> {
                                            try {
                                                f.complete(p.poll().size());
                                            } catch (Throwable e) {
                                                f.completeExceptionally(e);
                                            }
                                        }));
            }
            for (Thread t : threads) {
                awaitWaiting(t);
            }
            VirtualThreadProbe.millisFor200Sleeps();
            for (Pipe pipe : pipes) {
                pipe.sink().write(text("x"));
            }
            for (CompletableFuture<Integer> f : got) {
                assertEquals(1, f.get(30, TimeUnit.SECONDS));
            }
        } finally {
            pollers.forEach(Poller::close);
            pipes.forEach(Pipe::close);
        }
    }

    /** A {@code Descriptor} implemented outside jipc: its close cannot tell any poller. */
    private static final class Foreign implements Descriptor {
        private final int fd;
        private boolean open = true;

        Foreign(int fd) {
            this.fd = fd;
        }

        @Override
        public int fd() {
            return fd;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            if (open) {
                open = false;
                Unistd.close(fd);
            }
        }

        @Override
        public String toString() {
            return "Foreign[" + fd + "]";
        }
    }

    @Test
    void cancelling_the_key_of_a_foreign_descriptor_closed_first_removes_the_key()
            throws Exception {
        try (Poller p = Poller.open();
                Pipe pipe = Pipe.open()) {
            Foreign f = new Foreign(Descriptors.dupCloseOnExec(pipe.source().fd(), 3));
            Poller.Key k = p.register(f, READ);
            f.close();
            assertFalse(k.isValid());
            k.cancel();
            assertEquals(Set.of(), p.keys(), "a cancelled key is gone from keys()");
            assertThrows(IllegalStateException.class, () -> k.interest(READ));
        }
    }

    @Test
    void a_registration_racing_close_leaves_no_key_behind() throws Exception {
        for (int i = 0; i < 300; i++) {
            try (Pipe pipe = Pipe.open()) {
                Poller p = Poller.open();
                CyclicBarrier start = new CyclicBarrier(2);
                CompletableFuture<Object> registered = new CompletableFuture<>();
                Thread t =
                        Thread.ofPlatform()
                                .start(
                                        () -> {
                                            try {
                                                start.await(30, TimeUnit.SECONDS);
                                                registered.complete(
                                                        p.register(pipe.source(), READ));
                                            } catch (Throwable e) {
                                                registered.complete(e);
                                            }
                                        });
                start.await(30, TimeUnit.SECONDS);
                p.close();
                Object outcome = registered.get(30, TimeUnit.SECONDS);
                assertTrue(t.join(WAIT));
                if (outcome instanceof Poller.Key k) {
                    assertFalse(k.isValid(), "round " + i);
                } else {
                    assertInstanceOf(IllegalStateException.class, outcome, "round " + i);
                }
                assertEquals(Set.of(), p.keys(), "round " + i + ": a key left behind by close");
                assertTrue(pipe.source().isOpen());
            }
        }
    }

    /**
     * Opens a poller and {@code n} pipes, registers both ends of each, polls once, and drops them
     * all unclosed.
     */
    private static void dropRegistered(int n, List<Pipe> keep, List<Poller> keepPoller)
            throws IOException {
        Poller p = Poller.open();
        for (int i = 0; i < n; i++) {
            Pipe pipe = Pipe.open();
            p.register(pipe.source(), READ);
            p.register(pipe.sink(), EnumSet.of(Readiness.WRITE));
            if (keep != null) {
                keep.add(pipe);
            }
        }
        assertEquals(n, p.poll(Duration.ZERO).size(), "every write end has room");
        if (keepPoller != null) {
            keepPoller.add(p);
        }
    }

    /**
     * Calls the garbage collector until this process has {@code expected} descriptors (bounded).
     */
    private static void awaitDescriptors(int expected, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int now;
        while ((now = openDescriptors()) != expected) {
            assertTrue(
                    System.nanoTime() < deadline,
                    what + ": " + now + " descriptors open, " + expected + " expected");
            System.gc();
            Thread.sleep(10);
        }
    }

    @Test
    void registered_descriptors_and_pollers_dropped_unclosed_are_still_closed_by_the_safety_net()
            throws Exception {
        int before = openDescriptors();
        // both dropped: 50 pipes (100 descriptors) and the poller's two
        dropRegistered(50, null, null);
        awaitDescriptors(before, "pipes and poller dropped");
        // the poller dropped, its descriptors kept: the poller's two are closed
        List<Pipe> kept = new ArrayList<>();
        dropRegistered(20, kept, null);
        awaitDescriptors(before + 40, "poller dropped, pipes kept");
        kept.forEach(Pipe::close);
        assertEquals(before, openDescriptors());
        // the descriptors dropped, the poller kept: its keys keep them, as a Selector's do
        List<Poller> poller = new ArrayList<>();
        dropRegistered(5, null, poller);
        System.gc();
        assertEquals(10, poller.get(0).keys().size());
        assertEquals(before + 12, openDescriptors());
        for (Poller.Key k : poller.get(0).keys()) {
            k.descriptor().close();
        }
        poller.get(0).close();
        assertEquals(before, openDescriptors());
    }

    @Test
    void bad_input_is_refused_clearly_and_nothing_leaks() throws Exception {
        int before = openDescriptors();
        Path file = dir.resolve("regular");
        Files.writeString(file, "x");
        try (Pipe pipe = Pipe.open()) {
            Poller p = Poller.open();
            Poller.Key k = p.register(pipe.source(), READ);
            IllegalArgumentException twice =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> p.register(pipe.source(), EnumSet.of(Readiness.READ)));
            assertTrue(
                    twice.getMessage().contains("registered with this poller already"),
                    twice.getMessage());
            int f = Unistd.open(file.toString(), Unistd.O_RDONLY | Unistd.O_CLOEXEC, 0);
            try (RawDescriptor regular = new RawDescriptor(f)) {
                IllegalArgumentException eperm =
                        assertThrows(
                                IllegalArgumentException.class, () -> p.register(regular, READ));
                assertTrue(eperm.getMessage().contains("regular files"), eperm.getMessage());
            }
            assertThrows(
                    IllegalArgumentException.class,
                    () -> p.register(p, READ),
                    "a poller in itself");
            Pipe closed = Pipe.open();
            closed.close();
            IllegalArgumentException c =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> p.register(closed.source(), READ));
            assertTrue(
                    c.getMessage().contains("d=" + closed.source() + " is closed"), c.getMessage());
            assertEquals(Set.of(k), p.keys(), "failed registrations leave nothing behind");

            // close from another thread while a poll waits: the poll returns, the next one fails
            CompletableFuture<List<Poller.Key>> polled = new CompletableFuture<>();
            Thread t = pollingThread(p, polled);
            p.close();
            assertTrue(polled.get(30, TimeUnit.SECONDS).isEmpty());
            assertTrue(t.join(WAIT));
            assertFalse(p.isOpen());
            assertFalse(k.isValid());
            IllegalStateException after =
                    assertThrows(IllegalStateException.class, () -> p.poll(Duration.ZERO));
            assertTrue(after.getMessage().contains("closed"), after.getMessage());
            assertThrows(
                    IllegalStateException.class,
                    () -> p.register(pipe.sink(), EnumSet.of(Readiness.WRITE)));
            assertThrows(IllegalStateException.class, () -> k.interest(READ));
            p.wakeup(); // does nothing
            p.close(); // idempotent
            assertTrue(pipe.source().isOpen(), "closing the poller leaves the descriptors open");
        }
        assertEquals(before, openDescriptors(), "nothing leaked");
    }
}
