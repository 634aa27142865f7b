package io.jipc.pipe;

import io.jipc.Errno;
import io.jipc.internal.Errors;
import io.jipc.internal.linux.Blocking;
import io.jipc.internal.linux.Poll;
import io.jipc.internal.linux.Unistd;

import java.io.InterruptedIOException;
import java.time.Duration;

/**
 * Questions a program asks about a descriptor it writes to but does not own, typically its standard
 * output (fd 1): is it a terminal, and is anybody still there to read what it writes?
 *
 * <p>A command that takes something it cannot put back (a queue message) asks {@link
 * #readerGone(int)} before it takes it: the write end of a pipe whose readers have all exited
 * reports {@code POLLERR}, a socket whose peer closed or a hung-up terminal {@code POLLHUP}, and a
 * closed descriptor {@code POLLNVAL} ({@man poll(2)}). A device that accepts nothing ({@code
 * /dev/full}) cannot be told apart this way; only the write fails. {@link #awaitReaderGone} lets a
 * command that waits (for a message, for the next refresh) end as soon as its reader goes, as
 * {@code SIGPIPE} would end a C program.
 *
 * <p>None of these methods takes ownership of, or closes, the descriptor.
 */
public final class OutputCheck {
    private static final int GONE = Poll.POLLERR | Poll.POLLHUP | Poll.POLLNVAL;

    private OutputCheck() {}

    /**
     * Whether the descriptor refers to a terminal ({@man isatty(3)}).
     *
     * @param fd the descriptor, e.g. 1
     * @return true for a terminal; false otherwise, and for a closed descriptor
     */
    public static boolean isTerminal(int fd) {
        return Poll.isatty(fd);
    }

    /**
     * Whether nothing written to the descriptor can be read by anyone any more: it is closed, it is
     * the write end of a pipe or FIFO whose readers are all gone, or a socket or terminal that was
     * hung up ({@man poll(2)} reports {@code POLLNVAL}, {@code POLLERR} or {@code POLLHUP}); or it
     * is open for reading only ({@man fcntl(2)} {@code F_GETFL}), which is what a standard output
     * the shell closed ({@code >&-}) becomes once the JVM opens a file of its own on the free
     * number. Never blocks.
     *
     * @param fd the descriptor, e.g. 1
     * @return true if the reader is gone
     */
    public static boolean readerGone(int fd) {
        int r = Poll.poll(fd, Poll.POLLOUT, 0);
        while (Errors.is(r, Errno.EINTR)) {
            r = Poll.poll(fd, Poll.POLLOUT, 0);
        }
        if (r > 0 && (r & GONE) != 0) {
            return true;
        }
        return !isWritable(fd);
    }

    /**
     * Whether the descriptor is open for writing ({@man fcntl(2)} {@code F_GETFL}). False for a
     * closed descriptor and for one open for reading only.
     *
     * @param fd the descriptor, e.g. 1
     * @return true if writes may be made to it
     */
    public static boolean isWritable(int fd) {
        int flags = Unistd.fcntl(fd, Unistd.F_GETFL, 0);
        return flags >= 0 && (flags & Unistd.O_ACCMODE) != Unistd.O_RDONLY;
    }

    /**
     * Waits until {@link #readerGone(int)} or until {@code timeout} has passed ({@man poll(2)} with
     * no event of interest but the error conditions). The wait ends on {@link Thread#interrupt()}.
     *
     * @param fd the descriptor, e.g. 1
     * @param timeout the longest wait; a very long one waits until the reader goes
     * @return true if the reader is gone, false if the time ran out first
     * @throws InterruptedIOException if the thread was interrupted while waiting (the interrupt
     *     status is then still set)
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public static boolean awaitReaderGone(int fd, Duration timeout) throws InterruptedIOException {
        long nanos = Blocking.timeoutNanos(timeout);
        if (readerGone(fd)) {
            return true;
        }
        long r =
                Blocking.call(
                        () -> Poll.poll(fd, (short) 0, -1),
                        () -> {
                            int now = Poll.poll(fd, (short) 0, 0);
                            return now == 0 ? Blocking.WOULD_BLOCK : now;
                        },
                        nanos,
                        false);
        if (Errors.is(r, Errno.EINTR)) {
            throw new InterruptedIOException(
                    "interrupted while waiting for the reader of fd " + fd + " to go");
        }
        return r > 0 && (r & GONE) != 0;
    }
}
