package io.jipc.pipe;

import static io.jipc.pipe.PipeTest.await;
import static io.jipc.pipe.PipeTest.drain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.AlreadyExistsException;
import io.jipc.Errno;
import io.jipc.IpcException;
import io.jipc.NotFoundException;
import io.jipc.testkit.ThreadStates;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** FIFOs: creation, open ordering in both directions, ENXIO, and shell tools on the other side. */
class FifoTest {
    private Path dir;
    private Path path;
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @BeforeEach
    void makeDir() throws IOException {
        Files.createDirectories(Path.of("target"));
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "fifo-test");
        path = dir.resolve("f");
    }

    @AfterEach
    void cleanUp() throws IOException {
        pool.shutdownNow();
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    /** Waits for a blocked open; if it hangs, releases it by opening the other end read-write. */
    private <T> T bounded(Future<T> f) throws Exception {
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            var unblock =
                    java.nio.channels.FileChannel.open(
                            path,
                            java.nio.file.StandardOpenOption.READ,
                            java.nio.file.StandardOpenOption.WRITE);
            try {
                f.get(10, TimeUnit.SECONDS);
            } finally {
                unblock.close();
            }
            throw new AssertionError("open did not return within 60 s");
        }
    }

    @Test
    void create_makes_a_FIFO_with_exactly_the_mode_and_refuses_an_existing_path() throws Exception {
        Fifo f = Fifo.create(path, 0640);
        assertEquals(
                "rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
        assertEquals(path, Fifo.of(path).path());
        AlreadyExistsException again =
                assertThrows(AlreadyExistsException.class, () -> Fifo.create(path, 0600));
        assertTrue(again.getMessage().contains("a FIFO already exists"), again.getMessage());
        Path file = dir.resolve("plain");
        Files.writeString(file, "x");
        AlreadyExistsException notFifo =
                assertThrows(AlreadyExistsException.class, () -> Fifo.create(file, 0600));
        assertTrue(
                notFifo.getMessage().contains("is not a FIFO (it is a regular file)"),
                notFifo.getMessage());
        IOException of = assertThrows(IOException.class, () -> Fifo.of(file));
        assertTrue(of.getMessage().contains("not a FIFO"), of.getMessage());
        assertThrows(NotFoundException.class, () -> Fifo.of(dir.resolve("none")));
        NotFoundException noDir =
                assertThrows(NotFoundException.class, () -> Fifo.create(dir.resolve("no/f"), 0600));
        assertEquals(Errno.ENOENT, noDir.errno());
        assertTrue(
                noDir.getMessage().startsWith("mkfifo(" + dir.resolve("no/f") + "): ENOENT"),
                noDir.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Fifo.create(dir.resolve("g"), 01777));
        f.remove();
        assertFalse(Files.exists(path));
        assertEquals(Errno.ENOENT, assertThrows(NotFoundException.class, f::remove).errno());
    }

    @Test
    void reader_first_blocks_until_a_shell_writer_opens() throws Exception {
        Fifo f = Fifo.create(path, 0600);
        Future<ReadEnd> reader = pool.submit(() -> f.openReader());
        ThreadStates.awaitAnyBlockedIn(ProcessHandle.current().pid(), "wait_for_partner");
        assertFalse(reader.isDone(), "openReader returned with no writer");
        Child echo = Spawn.of("sh", "-c", "echo hello from sh > \"$0\"", path.toString()).start();
        try (ReadEnd in = bounded(reader)) {
            assertEquals(
                    "hello from sh\n",
                    new String(drain(in, PipeTest.LONG, echo), StandardCharsets.UTF_8));
        }
        assertTrue(await(echo).success());
    }

    @Test
    void writer_first_blocks_until_cat_opens_for_reading() throws Exception {
        Fifo f = Fifo.create(path, 0600);
        Future<WriteEnd> writer = pool.submit(() -> f.openWriter());
        ThreadStates.awaitAnyBlockedIn(ProcessHandle.current().pid(), "wait_for_partner");
        assertFalse(writer.isDone(), "openWriter returned with no reader");
        try (Pipe out = Pipe.open()) {
            Child cat = Spawn.of("cat", path.toString()).stdout(out.sink()).start();
            out.sink().close();
            try (WriteEnd w = bounded(writer)) {
                w.write(ByteBuffer.wrap("to cat\n".getBytes(StandardCharsets.UTF_8)));
            }
            assertEquals(
                    "to cat\n",
                    new String(drain(out.source(), PipeTest.LONG, cat), StandardCharsets.UTF_8));
            assertTrue(await(cat).success());
        }
    }

    @Test
    void a_non_blocking_writer_without_reader_is_ENXIO_no_reader_and_works_once_a_reader_is_there()
            throws Exception {
        Fifo f = Fifo.create(path, 0600);
        IpcException e = assertThrows(IpcException.class, f::openWriterNonBlocking);
        assertEquals(Errno.ENXIO, e.errno());
        assertTrue(e.getMessage().contains("no reader"), e.getMessage());
        try (ReadEnd r = f.openReaderNonBlocking()) {
            assertFalse(r.isBlocking());
            assertEquals(
                    -1,
                    r.read(ByteBuffer.allocate(8)),
                    "no writer at all: end-of-file at once (fifo(7))");
            try (WriteEnd w = f.openWriterNonBlocking()) {
                assertEquals(
                        0,
                        r.read(ByteBuffer.allocate(8)),
                        "a writer, nothing written: empty, not EOF");
                assertEquals(2, w.write(ByteBuffer.wrap(new byte[] {1, 2})));
            }
            ByteBuffer b = ByteBuffer.allocate(8);
            assertEquals(2, r.read(b));
            assertEquals(-1, r.read(b), "the writer left: EOF");
        }
    }
}
