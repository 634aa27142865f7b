package io.jipc.poll;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.InterruptedCallException;
import io.jipc.RawDescriptor;
import io.jipc.internal.linux.Signals;
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
import io.jipc.testkit.VirtualThreadProbe;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Poller} over pipes, FIFOs, sockets and listening sockets, from platform and virtual threads. */
class PollerTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Set<Readiness> READ = EnumSet.of(Readiness.READ);

    @TempDir
    Path dir;

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
    void a_pipe_is_reported_readable_while_it_holds_data_and_hung_up_when_its_writers_are_gone() throws Exception {
        try (Poller p = Poller.open(); Pipe pipe = Pipe.open()) {
            Poller.Key k = p.register(pipe.source(), READ);
            assertTrue(p.poll(Duration.ZERO).isEmpty(), "empty pipe: nothing ready");
            pipe.sink().write(text("abc"));
            assertEquals(Set.of(Readiness.READ), only(p, k).ready());
            assertEquals(List.of(k), p.poll(Duration.ZERO), "level triggered: still ready while data is left");
            pipe.source().read(ByteBuffer.allocate(16));
            assertTrue(p.poll(Duration.ZERO).isEmpty());
            pipe.sink().close();
            assertTrue(only(p, k).isReady(Readiness.HANG_UP), "every writer closed");
            assertFalse(k.isReady(Readiness.READ));
        }
    }

    @Test
    void edge_triggered_keys_are_reported_once_per_arrival() throws Exception {
        try (Poller p = Poller.open(); Pipe pipe = Pipe.open()) {
            Poller.Key k = p.register(pipe.source(), READ, Trigger.EDGE);
            assertSame(Trigger.EDGE, k.trigger());
            pipe.sink().write(text("one"));
            only(p, k);
            assertTrue(p.poll(Duration.ZERO).isEmpty(), "edge triggered: not again although data is left");
            pipe.sink().write(text("two"));
            only(p, k);
            ByteBuffer b = ByteBuffer.allocate(16);
            pipe.source().read(b);
            assertEquals("onetwo", new String(b.array(), 0, b.position(), US_ASCII));
        }
    }

    @Test
    void sockets_listening_sockets_and_fifos_in_one_poller_each_with_its_own_readiness() throws Exception {
        Path fifoPath = dir.resolve("fifo");
        Fifo fifo = Fifo.create(fifoPath, 0600);
        UnixAddress address = UnixAddress.of(dir.resolve("srv"));
        try (Poller p = Poller.open();
                ReadEnd fifoReader = fifo.openReaderNonBlocking();
                UnixServerSocket server = UnixServerSocket.bind(SocketType.STREAM, address, 0600);
                UnixSocket.Pair pair = UnixSocket.pair(SocketType.STREAM)) {
            Poller.Key fk = p.register(fifoReader, READ);
            Poller.Key sk = p.register(server, EnumSet.of(Readiness.ACCEPT));
            Poller.Key pk = p.register(pair.first(), EnumSet.of(Readiness.READ, Readiness.WRITE, Readiness.HANG_UP));
            pk.attach("pair");
            assertEquals(List.of(pk), p.poll(Duration.ZERO), "a socket with room is writable; a FIFO never written"
                    + " to is not hung up");
            assertEquals(Set.of(Readiness.WRITE), pk.ready());
            pk.interest(READ);
            assertEquals(READ, pk.interest());
            assertTrue(p.poll(Duration.ZERO).isEmpty());

            try (WriteEnd w = fifo.openWriter(); UnixSocket client = UnixSocket.connect(SocketType.STREAM, address)) {
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
                assertEquals(Set.of(Readiness.HANG_UP), only(p, pk).ready(), "EPOLLRDHUP: the peer stopped writing");
            }
            assertEquals(Set.of(fk, sk, pk), p.keys());
        } finally {
            fifo.remove();
        }
    }

    @Test
    void closing_a_registered_descriptor_removes_it_even_while_a_child_holds_a_copy() throws Exception {
        try (Poller p = Poller.open(); Pipe pipe = Pipe.open(); Pipe other = Pipe.open()) {
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
                assertTrue(p.poll(Duration.ZERO).isEmpty(), "the closed descriptor is not reported");
                assertEquals(Set.of(o), p.keys());
                // giving a descriptor up removes it too
                int m = other.source().fd();
                RawDescriptor raw = new RawDescriptor(io.jipc.internal.linux.Descriptors.dupCloseOnExec(m, 3));
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
    void wakeup_from_another_thread_ends_a_poll_and_one_made_before_ends_the_next() throws Exception {
        try (Poller p = Poller.open(); Pipe pipe = Pipe.open()) {
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

    /** Starts a platform thread that polls without a time limit, and returns once it waits in epoll_wait. */
    static Thread pollingThread(Poller p, CompletableFuture<List<Poller.Key>> polled) throws Exception {
        AtomicInteger tid = new AtomicInteger();
        Thread t = Thread.ofPlatform().start(() -> {
            tid.set(Signals.gettid());
            try {
                polled.complete(p.poll());
            } catch (Throwable e) {
                polled.completeExceptionally(e);
            }
        });
        awaitEpollWait(tid);
        return t;
    }

    /** Waits until a platform thread sits in epoll_wait (232) or epoll_pwait (281). */
    static void awaitEpollWait(AtomicInteger tidOf) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            int tid = tidOf.get();
            if (tid != 0) {
                List<String> lines = Files.readAllLines(Path.of("/proc/self/task/" + tid + "/syscall"));
                if (!lines.isEmpty() && (lines.get(0).startsWith("232 ") || lines.get(0).startsWith("281 "))) {
                    return;
                }
            }
            Thread.sleep(1);
        }
        throw new AssertionError("the polling thread never entered epoll_wait");
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
        try (Poller p = Poller.open(); Pipe pipe = Pipe.open()) {
            Poller.Key k = p.register(pipe.source(), READ);
            AtomicInteger tid = new AtomicInteger();
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread t = builder.start(() -> {
                tid.set(Signals.gettid());
                try {
                    p.poll();
                    outcome.complete(null);
                } catch (Throwable e) {
                    outcome.complete(Thread.currentThread().isInterrupted() ? e : new AssertionError("status lost", e));
                }
            });
            if (t.isVirtual()) {
                awaitWaiting(t);
            } else {
                awaitEpollWait(tid);
            }
            t.interrupt();
            Throwable e = outcome.get(30, TimeUnit.SECONDS);
            assertInstanceOf(InterruptedCallException.class, e);
            assertTrue(e.getMessage().contains("epoll_wait"), e.getMessage());
            assertTrue(p.isOpen() && k.isValid(), "an interrupt leaves the poller and its keys as they were");
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
    void a_timed_poll_returns_empty_after_its_timeout() throws Exception {
        try (Poller p = Poller.open(); Pipe pipe = Pipe.open()) {
            p.register(pipe.source(), READ);
            long start = System.nanoTime();
            assertTrue(p.poll(Duration.ofMillis(50)).isEmpty());
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50), "waited the whole timeout");
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
                threads.add(Thread.ofVirtual().start(() -> {
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

    @Test
    void bad_input_is_refused_clearly_and_nothing_leaks() throws Exception {
        int before = openDescriptors();
        Path file = dir.resolve("regular");
        Files.writeString(file, "x");
        try (Pipe pipe = Pipe.open()) {
            Poller p = Poller.open();
            Poller.Key k = p.register(pipe.source(), READ);
            IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                    () -> p.register(pipe.source(), EnumSet.of(Readiness.READ)));
            assertTrue(twice.getMessage().contains("registered with this poller already"), twice.getMessage());
            int f = Unistd.open(file.toString(), Unistd.O_RDONLY | Unistd.O_CLOEXEC, 0);
            try (RawDescriptor regular = new RawDescriptor(f)) {
                IllegalArgumentException eperm = assertThrows(IllegalArgumentException.class,
                        () -> p.register(regular, READ));
                assertTrue(eperm.getMessage().contains("regular files"), eperm.getMessage());
            }
            assertThrows(IllegalArgumentException.class, () -> p.register(p, READ), "a poller in itself");
            Pipe closed = Pipe.open();
            closed.close();
            assertThrows(ClosedChannelException.class, () -> p.register(closed.source(), READ));
            assertEquals(Set.of(k), p.keys(), "failed registrations leave nothing behind");

            // close from another thread while a poll waits: the poll returns, the next one fails
            CompletableFuture<List<Poller.Key>> polled = new CompletableFuture<>();
            Thread t = pollingThread(p, polled);
            p.close();
            assertTrue(polled.get(30, TimeUnit.SECONDS).isEmpty());
            assertTrue(t.join(WAIT));
            assertFalse(p.isOpen());
            assertFalse(k.isValid());
            IllegalStateException after = assertThrows(IllegalStateException.class, () -> p.poll(Duration.ZERO));
            assertTrue(after.getMessage().contains("closed"), after.getMessage());
            assertThrows(IllegalStateException.class, () -> p.register(pipe.sink(), EnumSet.of(Readiness.WRITE)));
            assertThrows(IllegalStateException.class, () -> k.interest(READ));
            p.wakeup(); // does nothing
            p.close(); // idempotent
            assertTrue(pipe.source().isOpen(), "closing the poller leaves the descriptors open");
        }
        assertEquals(before, openDescriptors(), "nothing leaked");
    }
}
