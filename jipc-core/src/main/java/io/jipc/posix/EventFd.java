package io.jipc.posix;

import io.jipc.Descriptor;
import io.jipc.Errno;
import io.jipc.InterruptedCallException;
import io.jipc.IpcException;
import io.jipc.internal.Errors;
import io.jipc.internal.Fds;
import io.jipc.internal.OwnedFd;
import io.jipc.internal.linux.Blocking;
import io.jipc.internal.linux.Native;
import io.jipc.internal.linux.PosixFiles;
import io.jipc.internal.linux.Unistd;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * An event counter in the kernel ({@man eventfd(2)}): {@link #add} adds to a 64-bit counter, {@link
 * #take} waits until it is not zero and takes from it, and {@code poll} reports the descriptor
 * readable while it is not zero. Shared with a child ({@code Spawn.fd}) or another process ({@code
 * SCM_RIGHTS}); C reads and writes the same 8-byte values.
 *
 * <p>Two modes, chosen at creation:
 *
 * <ul>
 *   <li>{@linkplain #create counter}: {@link #take} returns the whole count and resets it to 0;
 *       many {@code add}s become one wake-up;
 *   <li>{@linkplain #createSemaphore semaphore} ({@code EFD_SEMAPHORE}): {@link #take} returns 1
 *       and decrements; each unit wakes one taker.
 * </ul>
 *
 * <p>The counter is unsigned and at most {@code 0xfffffffffffffffe}; an {@code add} that would pass
 * it waits (the try form returns false). Blocking calls follow jipc's rules: {@link
 * Thread#interrupt()} ends them with {@link InterruptedCallException} (nothing taken or added),
 * timeouts are honest under signals, virtual threads do not pin carriers. {@link #close()} closes
 * this descriptor (idempotent); calls after it throw {@link ClosedChannelException}. Thread-safe.
 */
public final class EventFd implements Descriptor {
    static {
        Fds.register(EventFd.class, e -> e.fd);
    }

    /** The largest value the counter holds ({@code 0xfffffffffffffffe}, unsigned). */
    public static final long MAX_VALUE = 0xffff_ffff_ffff_fffeL;

    private final OwnedFd fd;
    private final boolean semaphore;

    private EventFd(int fd, boolean semaphore) {
        this.fd = new OwnedFd(fd);
        this.semaphore = semaphore;
    }

    /**
     * A counter ({@code eventfd(initialValue, EFD_CLOEXEC)}): a take returns the whole count.
     *
     * @param initialValue the counter's start, 0 to {@code 0xffffffff} (the C argument is an {@code
     *     unsigned int})
     * @return the event descriptor
     * @throws IpcException if the call fails
     */
    public static EventFd create(long initialValue) throws IpcException {
        return create(initialValue, 0);
    }

    /**
     * A semaphore ({@code eventfd(initialValue, EFD_CLOEXEC | EFD_SEMAPHORE)}): a take returns 1
     * and decrements.
     *
     * @param initialValue the counter's start, 0 to {@code 0xffffffff}
     * @return the event descriptor
     * @throws IpcException if the call fails
     */
    public static EventFd createSemaphore(long initialValue) throws IpcException {
        return create(initialValue, PosixFiles.EFD_SEMAPHORE);
    }

    private static EventFd create(long initialValue, int flags) throws IpcException {
        if (initialValue < 0 || initialValue > 0xffff_ffffL) {
            throw new IllegalArgumentException(
                    "initialValue=" + initialValue + " (0..4294967295, an unsigned int)");
        }
        int r = PosixFiles.eventfd((int) initialValue, PosixFiles.EFD_CLOEXEC | flags);
        if (r < 0) {
            throw Errors.failure(r, "eventfd", "counter", null);
        }
        return new EventFd(r, flags != 0);
    }

    /**
     * Adopts an eventfd this process inherited or received over a Unix socket, taking ownership;
     * its mode is read from {@code /proc/self/fdinfo}.
     *
     * @param fd the descriptor number
     * @return the event descriptor
     * @throws IpcException if {@code fd} is not an eventfd
     */
    public static EventFd inherited(int fd) throws IpcException {
        if (fd < 0) {
            throw new IllegalArgumentException("fd=" + fd);
        }
        String link = Inherited.link(fd);
        if (!link.equals("anon_inode:[eventfd]")) {
            throw new IpcException("eventfd", "fd " + fd, null, "not an eventfd but " + link);
        }
        Unistd.fcntl(fd, Unistd.F_SETFD, Unistd.FD_CLOEXEC);
        return new EventFd(fd, "1".equals(Inherited.fdinfo(fd, "eventfd-semaphore")));
    }

    /**
     * Whether this is a semaphore ({@code EFD_SEMAPHORE}).
     *
     * @return true for the semaphore mode
     */
    public boolean isSemaphore() {
        return semaphore;
    }

    /**
     * Adds {@code n} to the counter ({@man write(2)} of 8 bytes), waiting while that would pass
     * {@link #MAX_VALUE}; wakes the takers.
     *
     * @param n what to add, an unsigned value up to {@link #MAX_VALUE} ({@code -1}, which is {@code
     *     0xffffffffffffffff}, is refused)
     * @throws InterruptedCallException if interrupted while waiting (nothing added)
     * @throws ClosedChannelException if closed
     * @throws IpcException if the call fails
     */
    public void add(long n) throws IOException {
        write(n, -1);
    }

    /**
     * Adds {@code n} unless that would pass {@link #MAX_VALUE}. Linux writes an eventfd without
     * {@code RWF_NOWAIT}: this then polls for room and writes, and a write that waits after all
     * (another writer, maybe in another process, took the room; or there was room for less than
     * {@code n}) is cancelled within 100 ms, nothing added, and reported as false.
     *
     * @param n what to add
     * @return true if added, false if the counter had no room
     * @throws IOException as {@link #add}
     */
    public boolean tryAdd(long n) throws IOException {
        return write(n, 0);
    }

    private boolean write(long n, long nanos) throws IOException {
        if (Long.compareUnsigned(n, MAX_VALUE) > 0) {
            throw new IllegalArgumentException(
                    "n="
                            + Long.toUnsignedString(n)
                            + " (at most "
                            + Long.toUnsignedString(MAX_VALUE)
                            + ")");
        }
        MemorySegment buf = Native.scratch(PosixFiles.EVENTFD_BYTES);
        PosixFiles.eventfdValue(buf, n);
        int f = fd.acquire();
        long r;
        try {
            r =
                    nanos == 0
                            ? Unistd.writeNoWait(Unistd.EVENTFD, f, buf, buf.byteSize())
                            : Unistd.writeBlocking(Unistd.EVENTFD, f, buf, buf.byteSize(), nanos);
        } finally {
            fd.release();
        }
        if (r == buf.byteSize()) {
            return true;
        }
        if (Errors.is(r, Errno.EAGAIN) || Errors.is(r, Errno.ETIMEDOUT)) {
            return false;
        }
        if (Errors.is(r, Errno.EINTR)) {
            throw PosixErrors.interrupted("write", "eventfd " + fd.number());
        }
        throw Errors.failure(r, "write", "eventfd " + fd.number(), null);
    }

    /**
     * Waits until the counter is not zero and takes from it ({@man read(2)} of 8 bytes): the whole
     * count (counter mode, the counter becomes 0) or 1 (semaphore mode).
     *
     * @return what was taken, an unsigned value
     * @throws InterruptedCallException if interrupted while waiting (nothing taken)
     * @throws ClosedChannelException if closed
     * @throws IpcException if the call fails
     */
    public long take() throws IOException {
        return read(-1).orElseThrow();
    }

    /**
     * Takes from the counter unless it is zero.
     *
     * @return what was taken, or empty if the counter was 0
     * @throws IOException as {@link #take()}
     */
    public OptionalLong tryTake() throws IOException {
        return read(0);
    }

    /**
     * Takes from the counter, waiting at most {@code timeout} while it is zero.
     *
     * @param timeout the longest wait, zero or positive
     * @return what was taken, or empty if the time ran out
     * @throws IOException as {@link #take()}
     */
    public OptionalLong take(Duration timeout) throws IOException {
        return read(Math.max(1, Blocking.timeoutNanos(timeout)));
    }

    private OptionalLong read(long nanos) throws IOException {
        MemorySegment buf = Native.scratch(PosixFiles.EVENTFD_BYTES);
        int f = fd.acquire();
        long r;
        try {
            r =
                    nanos == 0
                            ? Unistd.readNoWait(Unistd.EVENTFD, f, buf, buf.byteSize())
                            : Unistd.readBlocking(Unistd.EVENTFD, f, buf, buf.byteSize(), nanos);
        } finally {
            fd.release();
        }
        if (r == buf.byteSize()) {
            return OptionalLong.of(PosixFiles.eventfdValue(buf));
        }
        if (Errors.is(r, Errno.EAGAIN) || Errors.is(r, Errno.ETIMEDOUT)) {
            return OptionalLong.empty();
        }
        if (Errors.is(r, Errno.EINTR)) {
            throw PosixErrors.interrupted("read", "eventfd " + fd.number());
        }
        throw Errors.failure(r, "read", "eventfd " + fd.number(), null);
    }

    @Override
    public int fd() {
        return fd.numberIfOpen();
    }

    @Override
    public boolean isOpen() {
        return fd.isOpen();
    }

    /** Closes this descriptor ({@man close(2)}). Idempotent. */
    @Override
    public void close() {
        fd.close();
    }

    @Override
    public String toString() {
        return "EventFd["
                + (semaphore ? "semaphore" : "counter")
                + (isOpen() ? ", fd=" + fd.number() : ", closed")
                + "]";
    }
}
