package io.jipc.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.internal.linux.Unistd;
import io.jipc.testkit.ThreadStates;

import org.junit.jupiter.api.Test;

import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@link OutputCheck} on real descriptors: a pipe before and after its reader goes, files, a closed
 * number.
 */
class OutputCheckTest {

    @Test
    void the_write_end_of_a_pipe_reports_its_reader_gone_once_the_read_end_closes()
            throws Exception {
        try (Pipe p = Pipe.open()) {
            int fd = p.sink().fd();
            assertFalse(OutputCheck.readerGone(fd));
            assertTrue(OutputCheck.isWritable(fd));
            assertFalse(OutputCheck.isTerminal(fd));
            assertFalse(
                    OutputCheck.awaitReaderGone(fd, Duration.ofMillis(20)),
                    "the time runs out while the reader is there");
            p.source().close();
            assertTrue(OutputCheck.readerGone(fd));
            assertTrue(OutputCheck.awaitReaderGone(fd, Duration.ofDays(1)), "returns at once");
        }
    }

    @Test
    void a_waiting_thread_returns_as_soon_as_the_reader_goes() throws Exception {
        try (Pipe p = Pipe.open()) {
            int fd = p.sink().fd();
            int[] tid = {0};
            CompletableFuture<Boolean> gone =
                    CompletableFuture.supplyAsync(
                            () -> {
                                tid[0] = ThreadStates.currentTid();
                                try {
                                    return OutputCheck.awaitReaderGone(fd, Duration.ofDays(1));
                                } catch (InterruptedIOException e) {
                                    throw new AssertionError(e);
                                }
                            },
                            r -> Thread.ofPlatform().start(r));
            ThreadStates.await(() -> tid[0] != 0, () -> "the waiter's tid");
            ThreadStates.awaitBlockedIn(tid[0], "poll");
            assertFalse(gone.isDone());
            p.source().close();
            assertTrue(gone.get(60, TimeUnit.SECONDS));
        }
    }

    @Test
    void an_interrupt_ends_the_wait_with_the_status_kept() throws Exception {
        try (Pipe p = Pipe.open()) {
            int fd = p.sink().fd();
            int[] tid = {0};
            Throwable[] thrown = {null};
            boolean[] flag = {false};
            Thread t =
                    Thread.ofPlatform()
                            .start(
                                    () -> {
                                        tid[0] = ThreadStates.currentTid();
                                        thrown[0] =
                                                assertThrows(
                                                        InterruptedIOException.class,
                                                        () ->
                                                                OutputCheck.awaitReaderGone(
                                                                        fd, Duration.ofDays(1)));
                                        flag[0] = Thread.currentThread().isInterrupted();
                                    });
            ThreadStates.await(() -> tid[0] != 0, () -> "the waiter's tid");
            ThreadStates.awaitBlockedIn(tid[0], "poll");
            t.interrupt();
            assertTrue(t.join(Duration.ofSeconds(60)));
            assertTrue(thrown[0].getMessage().contains("fd " + fd), thrown[0].getMessage());
            assertTrue(flag[0], "the interrupt status is still set");
        }
    }

    @Test
    void files_closed_numbers_and_read_only_descriptors() {
        int rw = Unistd.open("/dev/null", Unistd.O_WRONLY, 0);
        int ro = Unistd.open("/etc/hostname", Unistd.O_RDONLY, 0);
        assertTrue(rw >= 0 && ro >= 0);
        try {
            assertFalse(OutputCheck.readerGone(rw), "a device takes what it is given");
            assertFalse(OutputCheck.awaitReaderGone(rw, Duration.ofMillis(20)));
            assertTrue(
                    OutputCheck.readerGone(ro), "nothing can be written to a read-only descriptor");
            assertFalse(OutputCheck.isWritable(ro));
        } catch (InterruptedIOException e) {
            throw new AssertionError(e);
        } finally {
            Unistd.close(rw);
            Unistd.close(ro);
        }
        int closed = 1000;
        assertEquals(-io.jipc.Errno.EBADF.number(), Unistd.fcntl(closed, Unistd.F_GETFL, 0));
        assertTrue(OutputCheck.readerGone(closed));
        assertFalse(OutputCheck.isWritable(closed));
        assertFalse(OutputCheck.isTerminal(closed));
    }
}
