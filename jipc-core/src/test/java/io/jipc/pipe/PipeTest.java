package io.jipc.pipe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jipc.Errno;
import io.jipc.IpcException;
import io.jipc.Limit;
import io.jipc.LimitExceededException;
import io.jipc.testkit.ChildJvm;
import io.jipc.testkit.Gcc;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Pipes between real processes: EOF, PIPE_BUF atomicity, EPIPE, non-blocking mode, capacity. */
class PipeTest {
    static final Duration LONG = Duration.ofSeconds(60);

    /**
     * Reads to end-of-file; after {@code timeout} kills the children (so the read ends, and the
     * test fails).
     */
    static byte[] drain(ReadEnd in, Duration timeout, Child... writers) throws IOException {
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor();
        ScheduledFuture<?> watchdog =
                s.schedule(
                        () -> {
                            for (Child c : writers) {
                                try {
                                    c.destroyForcibly();
                                } catch (IOException e) {
                                    // ignore: best effort
                                }
                            }
                        },
                        timeout.toMillis(),
                        TimeUnit.MILLISECONDS);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(65536);
            while (in.read(buf.clear()) >= 0) {
                out.write(buf.array(), 0, buf.position());
            }
            assertFalse(
                    watchdog.isDone(),
                    "watchdog fired: the writers did not finish within " + timeout);
            return out.toByteArray();
        } finally {
            watchdog.cancel(false);
            s.shutdownNow();
        }
    }

    static ExitStatus await(Child c) throws Exception {
        ExitStatus st = c.waitFor(LONG).orElse(null);
        if (st == null) {
            c.destroyForcibly();
            throw new AssertionError("child " + c + " did not end within " + LONG);
        }
        return st;
    }

    @Test
    void end_of_file_comes_only_when_every_write_end_in_every_process_is_closed() throws Exception {
        try (Pipe p = Pipe.open()) {
            Child holder = Spawn.of("sleep", "60").fd(3, p.sink()).start();
            Child writer = Spawn.of("sh", "-c", "printf hello >&3").fd(3, p.sink()).start();
            p.sink().close();
            assertTrue(await(writer).success());
            byte[] got = new byte[5];
            assertEquals(5, p.source().readFully(ByteBuffer.wrap(got)));
            assertEquals("hello", new String(got, StandardCharsets.US_ASCII));
            // The sleeping child still holds a write end: no EOF, just nothing to read.
            p.source().configureBlocking(false);
            assertEquals(0, p.source().read(ByteBuffer.allocate(16)));
            holder.destroy();
            assertEquals(15, await(holder).signal());
            assertEquals(-1, p.source().read(ByteBuffer.allocate(16)));
        }
    }

    @Test
    void writes_of_PIPE_BUF_bytes_from_concurrent_processes_never_interleave() throws Exception {
        int count = 300;
        Path peer = Gcc.compileResource("c/pipe_peer.c");
        try (Pipe p = Pipe.open()) {
            p.sink().setCapacity(2 * Pipe.PIPE_BUF); // tiny: writers contend on every chunk
            List<Child> writers = new ArrayList<>();
            writers.add(
                    Spawn.of(ChildJvm.command(PipeWriterChild.class, "3", "65", "" + count))
                            .fd(3, p.sink())
                            .start());
            writers.add(
                    Spawn.of(ChildJvm.command(PipeWriterChild.class, "3", "66", "" + count))
                            .fd(3, p.sink())
                            .start());
            writers.add(
                    Spawn.of(peer.toString(), "write", "3", "67", "" + count)
                            .fd(3, p.sink())
                            .start());
            writers.add(
                    Spawn.of(peer.toString(), "write", "3", "68", "" + count)
                            .fd(3, p.sink())
                            .start());
            p.sink().close();
            byte[] all = drain(p.source(), LONG, writers.toArray(Child[]::new));
            for (Child c : writers) {
                assertTrue(await(c).success(), c.toString());
            }
            assertEquals(4L * count * Pipe.PIPE_BUF, all.length);
            int[] chunks = new int[4];
            int switches = 0;
            for (int off = 0; off < all.length; off += Pipe.PIPE_BUF) {
                byte id = all[off];
                for (int i = 1; i < Pipe.PIPE_BUF; i++) {
                    if (all[off + i] != id) {
                        throw new AssertionError(
                                "chunk at "
                                        + off
                                        + " mixes writer "
                                        + id
                                        + " with "
                                        + all[off + i]);
                    }
                }
                chunks[id - 65]++;
                if (off > 0 && all[off - 1] != id) {
                    switches++;
                }
            }
            assertArrayEquals(new int[] {count, count, count, count}, chunks);
            assertTrue(switches > 0, "the writers never ran concurrently; the test proved nothing");
        }
    }

    @Test
    void writing_after_the_reader_is_gone_is_EPIPE_not_a_dead_JVM() throws Exception {
        try (Pipe p = Pipe.open()) {
            Child reader = Spawn.of("sh", "-c", "head -c 3 >/dev/null").stdin(p.source()).start();
            p.source().close();
            p.sink().write(ByteBuffer.wrap("abc".getBytes(StandardCharsets.US_ASCII)));
            assertTrue(await(reader).success());
            IpcException e =
                    assertThrows(
                            IpcException.class,
                            () -> p.sink().write(ByteBuffer.wrap(new byte[10])));
            assertEquals(Errno.EPIPE, e.errno());
            assertTrue(e.getMessage().contains("no reader"), e.getMessage());
            // And through the stream too.
            assertThrows(IpcException.class, () -> p.sink().outputStream().write(1));
        }
    }

    @Test
    void a_child_writing_into_a_pipe_without_reader_dies_of_SIGPIPE_like_any_C_program()
            throws Exception {
        try (Pipe p = Pipe.open()) {
            Child yes = Spawn.of("yes").stdout(p.sink()).start();
            p.sink().close();
            p.source().close();
            assertEquals(13, await(yes).signal());
        }
    }

    @Test
    void a_non_blocking_read_of_an_empty_pipe_returns_0_and_then_the_data() throws Exception {
        try (Pipe p = Pipe.open()) {
            assertTrue(p.source().isBlocking());
            p.source().configureBlocking(false);
            assertFalse(p.source().isBlocking());
            assertEquals(0, p.source().read(ByteBuffer.allocate(8)));
            assertEquals(0, p.source().read(ByteBuffer.allocateDirect(8)));
            Child w = Spawn.of("sh", "-c", "printf xyz >&3").fd(3, p.sink()).start();
            assertTrue(await(w).success());
            ByteBuffer b = ByteBuffer.allocate(8);
            assertEquals(3, p.source().read(b));
            assertEquals("xyz", new String(b.array(), 0, 3, StandardCharsets.US_ASCII));
            assertThrows(
                    java.nio.channels.IllegalBlockingModeException.class,
                    () -> p.source().inputStream().read(new byte[4]));
            // Non-blocking write into a full pipe writes what fits, then 0.
            p.sink().configureBlocking(false);
            byte[] big = new byte[1 << 20];
            int written = p.sink().write(big, 0, big.length);
            assertEquals(p.sink().capacity(), written);
            assertEquals(0, p.sink().write(big, 0, 10));
        }
    }

    @Test
    void capacity_changes_are_seen_by_a_C_process_and_bounded_by_pipe_max_size() throws Exception {
        Path peer = Gcc.compileResource("c/pipe_peer.c");
        try (Pipe p = Pipe.open()) {
            assertEquals(65536, p.source().capacity());
            assertEquals(1 << 20, p.sink().setCapacity(1 << 20));
            assertEquals(1 << 20, p.source().capacity());
            try (Pipe out = Pipe.open()) {
                Child c =
                        Spawn.of(peer.toString(), "getsz", "3")
                                .fd(3, p.source())
                                .stdout(out.sink())
                                .start();
                out.sink().close();
                assertEquals(
                        (1 << 20) + "\n",
                        new String(drain(out.source(), LONG, c), StandardCharsets.US_ASCII));
                assertTrue(await(c).success());
            }
            // Shrinking below what the pipe holds is EBUSY.
            p.sink().write(ByteBuffer.wrap(new byte[3 * 4096]));
            IpcException busy = assertThrows(IpcException.class, () -> p.sink().setCapacity(4096));
            assertEquals(Errno.EBUSY, busy.errno());
        }
        try (Pipe p = Pipe.open()) {
            long max = Limit.PIPE_MAX_SIZE.value();
            int beyond = (int) Math.min(Integer.MAX_VALUE / 2 + 1, max * 2);
            LimitExceededException e;
            try {
                p.sink().setCapacity(beyond);
                assumeTrue(
                        false,
                        "this process may exceed pipe-max-size (CAP_SYS_RESOURCE): nothing to test");
                return;
            } catch (LimitExceededException x) {
                e = x;
            }
            assertEquals(Errno.EPERM, e.errno());
            assertEquals(Limit.PIPE_MAX_SIZE, e.limit());
            assertTrue(e.getMessage().contains("/proc/sys/fs/pipe-max-size"), e.getMessage());
        }
    }

    @Test
    void ends_close_independently_and_idempotently_and_streams_carry_bytes() throws Exception {
        Pipe p = Pipe.open();
        p.sink().outputStream().write("line\n".getBytes(StandardCharsets.US_ASCII));
        p.sink().close();
        p.sink().close();
        assertFalse(p.sink().isOpen());
        assertTrue(p.source().isOpen());
        assertEquals(
                "line\n",
                new String(p.source().inputStream().readAllBytes(), StandardCharsets.US_ASCII));
        assertThrows(ClosedChannelException.class, () -> p.sink().write(ByteBuffer.allocate(1)));
        p.close();
        assertThrows(ClosedChannelException.class, () -> p.source().read(ByteBuffer.allocate(1)));
        assertTrue(p.toString().contains("closed"), p.toString());
    }

    @Test
    void an_interrupt_ends_a_blocked_read_closes_the_end_and_keeps_the_status_as_documented()
            throws Exception {
        try (Pipe p = Pipe.open()) {
            Throwable[] thrown = new Throwable[1];
            boolean[] flag = new boolean[1];
            Thread reader =
                    Thread.ofPlatform()
                            .start(
                                    () -> {
                                        try {
                                            p.source().read(ByteBuffer.allocate(8));
                                        } catch (IOException e) {
                                            thrown[0] = e;
                                            flag[0] = Thread.currentThread().isInterrupted();
                                        }
                                    });
            io.jipc.testkit.ThreadStates.awaitAnyBlockedOn(
                    ProcessHandle.current().pid(), p.source().fd());
            reader.interrupt();
            reader.join(TimeUnit.SECONDS.toMillis(60));
            assertFalse(
                    reader.isAlive(),
                    "the read did not end on interrupt; update the Javadoc of PipeEnd");
            assertTrue(
                    thrown[0] instanceof java.nio.channels.ClosedByInterruptException,
                    String.valueOf(thrown[0]));
            assertTrue(flag[0], "the interrupt status is kept for the caller");
            assertFalse(p.source().isOpen(), "the end is closed, as a JDK channel is");
        }
    }

    @Test
    void close_releases_the_descriptors_and_they_are_close_on_exec() throws Exception {
        Pipe p = Pipe.open();
        Path r = Path.of("/proc/self/fd/" + p.source().fd());
        Path w = Path.of("/proc/self/fd/" + p.sink().fd());
        String inode = java.nio.file.Files.readSymbolicLink(r).toString();
        assertEquals(inode, java.nio.file.Files.readSymbolicLink(w).toString());
        for (Path fd : List.of(r, w)) {
            String fdinfo =
                    java.nio.file.Files.readAllLines(
                                    Path.of("/proc/self/fdinfo/" + fd.getFileName()))
                            .stream()
                            .filter(l -> l.startsWith("flags:"))
                            .findFirst()
                            .orElseThrow();
            long flags = Long.parseLong(fdinfo.split("\\s+")[1], 8);
            assertTrue((flags & 02000000) != 0, "O_CLOEXEC missing: " + fdinfo);
        }
        p.close();
        for (Path fd : List.of(r, w)) {
            assertFalse(
                    java.nio.file.Files.exists(fd, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                            && java.nio.file.Files.readSymbolicLink(fd).toString().equals(inode),
                    fd + " still open");
        }
    }

    @Test
    void inherited_refuses_a_descriptor_that_is_not_open() {
        IpcException e = assertThrows(IpcException.class, () -> ReadEnd.inherited(999));
        assertEquals(Errno.EBADF, e.errno());
    }
}
