package io.jipc.pipe;

import io.jipc.Descriptor;
import io.jipc.Errno;
import io.jipc.IpcException;
import io.jipc.Limit;
import io.jipc.LimitExceededException;
import io.jipc.internal.Errors;
import io.jipc.internal.Fds;
import io.jipc.internal.OwnedFd;
import io.jipc.internal.linux.Unistd;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One end of a pipe or FIFO: a file descriptor this object owns. {@link #close()} closes this
 * process's descriptor (idempotent); the pipe itself goes away when every process has closed every
 * descriptor of it. A {@code Cleaner} closes a forgotten end as a safety net, but close ends
 * explicitly: a reader sees end-of-file only when <em>every</em> write end is closed, in this
 * process and in every child that inherited one.
 *
 * <h2>Blocking, interruption and virtual threads</h2>
 *
 * An end starts in blocking mode (unless opened non-blocking). A blocking read waits for data or
 * end-of-file, a blocking write for room in the pipe. As with the JDK's interruptible channels,
 * {@link Thread#interrupt()} of a thread blocked in such a call ends it at once (within about a
 * millisecond): the end is closed and the call throws {@link
 * java.nio.channels.ClosedByInterruptException} with the interrupt status set; no byte is taken
 * from the pipe by the interrupted read (other readers, e.g. in other processes, get it) and no
 * byte of the interrupted {@man write(2)} is written. A thread already interrupted does not start
 * to wait. {@link ReadEnd#read(java.nio.ByteBuffer, java.time.Duration)} bounds a read's wait
 * ({@man read(2)} has no timeout: the wait is cancelled, and signals neither shorten nor lengthen
 * it). {@link #close()} from another thread does not end a blocked call (the descriptor is closed
 * when it returns). A blocking call made on a virtual thread does not pin its carrier: it reads or
 * writes at once when {@man poll(2)} says it can, and otherwise waits on a helper platform thread
 * while the virtual thread parks. The mechanism is described in {@code
 * io.jipc.internal.linux.Blocking}.
 *
 * <p>The blocking mode ({@code O_NONBLOCK}) belongs to the open file description, which every
 * duplicate of the descriptor shares, including those inherited by child processes.
 */
public abstract sealed class PipeEnd implements Descriptor permits ReadEnd, WriteEnd {
    static {
        Fds.register(PipeEnd.class, e -> e.fd);
    }

    /** Largest native buffer an end keeps for copying heap buffers: 1 MiB. */
    private static final int MAX_BUFFER = 1 << 20;

    final OwnedFd fd;
    final String name;
    final ReentrantLock lock = new ReentrantLock();

    /** What the kernel supports for this descriptor (a pipe, a FIFO, or whatever was inherited). */
    final Unistd.Kind kind;

    private volatile boolean blocking;
    private MemorySegment buffer;

    PipeEnd(int fd, String name) throws IpcException {
        this.fd = new OwnedFd(fd);
        this.name = name;
        this.kind = Unistd.Kind.of(name);
        int flags = Unistd.fcntl(fd, Unistd.F_GETFL, 0);
        if (flags < 0) {
            this.fd.close();
            throw Errors.failure(flags, "fcntl(F_GETFL)", name, null);
        }
        this.blocking = (flags & Unistd.O_NONBLOCK) == 0;
    }

    /**
     * Whether this end blocks (no {@code O_NONBLOCK}).
     *
     * @return true in blocking mode
     */
    public final boolean isBlocking() {
        return blocking;
    }

    /**
     * Sets or clears {@code O_NONBLOCK} ({@man fcntl(2)} {@code F_SETFL}). In non-blocking mode a
     * read of an empty pipe returns 0 at once and a write to a full pipe writes what fits (possibly
     * 0); the streams of a non-blocking end refuse to work.
     *
     * @param block true for blocking mode
     * @return this end
     * @throws IOException if fcntl fails or the end is closed
     */
    public final PipeEnd configureBlocking(boolean block) throws IOException {
        int n = fd.acquire();
        try {
            int flags = Unistd.fcntl(n, Unistd.F_GETFL, 0);
            if (flags >= 0) {
                flags =
                        Unistd.fcntl(
                                n,
                                Unistd.F_SETFL,
                                block ? flags & ~Unistd.O_NONBLOCK : flags | Unistd.O_NONBLOCK);
            }
            if (flags < 0) {
                throw Errors.failure(flags, "fcntl(F_SETFL)", name, null);
            }
            blocking = block;
            return this;
        } finally {
            fd.release();
        }
    }

    /**
     * The pipe's capacity in bytes ({@man fcntl(2)} {@code F_GETPIPE_SZ}); 65536 by default.
     *
     * @return the capacity
     * @throws IOException if fcntl fails or the end is closed
     */
    public final int capacity() throws IOException {
        int n = fd.acquire();
        try {
            int r = Unistd.fcntl(n, Unistd.F_GETPIPE_SZ, 0);
            if (r < 0) {
                throw Errors.failure(r, "fcntl(F_GETPIPE_SZ)", name, null);
            }
            return r;
        } finally {
            fd.release();
        }
    }

    /**
     * Sets the pipe's capacity ({@man fcntl(2)} {@code F_SETPIPE_SZ}); the kernel rounds it up to a
     * power of two pages. Without {@code CAP_SYS_RESOURCE} it may not exceed {@link
     * Limit#PIPE_MAX_SIZE} ({@code /proc/sys/fs/pipe-max-size}), nor the per-user page limits
     * ({@code /proc/sys/fs/pipe-user-pages-soft}/{@code -hard}).
     *
     * @param bytes the capacity wanted
     * @return the capacity set
     * @throws LimitExceededException (EPERM) if it is above what this process may set
     * @throws IpcException EBUSY if the pipe holds more data than the new capacity
     * @throws IOException on other failures, or if the end is closed
     */
    public final int setCapacity(int bytes) throws IOException {
        if (bytes <= 0) {
            throw new IllegalArgumentException("bytes=" + bytes);
        }
        int n = fd.acquire();
        try {
            int r = Unistd.fcntl(n, Unistd.F_SETPIPE_SZ, bytes);
            if (Errors.is(r, Errno.EPERM)) {
                throw new LimitExceededException(
                        "fcntl(F_SETPIPE_SZ)",
                        name,
                        Errno.EPERM,
                        "capacity of "
                                + bytes
                                + " bytes (or the per-user pipe pages in"
                                + " /proc/sys/fs/pipe-user-pages-hard are used up)",
                        Limit.PIPE_MAX_SIZE,
                        Limit.PIPE_MAX_SIZE.value());
            }
            if (Errors.is(r, Errno.EBUSY)) {
                throw new IpcException(
                        "fcntl(F_SETPIPE_SZ)",
                        name,
                        Errno.EBUSY,
                        "the pipe holds more data than the new capacity of " + bytes + " bytes");
            }
            if (r < 0) {
                throw Errors.failure(
                        r, "fcntl(F_SETPIPE_SZ)", name, "capacity of " + bytes + " bytes");
            }
            return r;
        } finally {
            fd.release();
        }
    }

    @Override
    public final boolean isOpen() {
        return fd.isOpen();
    }

    /** Closes this process's descriptor of this end ({@man close(2)}). Idempotent. */
    @Override
    public final void close() {
        fd.close();
    }

    /**
     * The descriptor number in this process, e.g. for a message or a child's command line. Prefer
     * {@link Spawn#fd(int, Descriptor)} to hand an end to a child.
     *
     * @return the number
     * @throws IllegalStateException if this end is closed
     */
    @Override
    public final int fd() {
        return fd.numberIfOpen();
    }

    @Override
    public String toString() {
        return name + (isOpen() ? "" : " (closed)");
    }

    /**
     * Checks that an inherited descriptor is open and usable in this end's direction, and marks it
     * close-on-exec so that it is not passed on further by accident.
     *
     * @param fd the descriptor
     * @param wrongMode the access mode this end cannot use ({@code O_WRONLY} for a read end)
     * @param wrongWord what that mode is called in the error ("writing")
     * @throws IpcException EBADF if {@code fd} is not open
     */
    static void adopt(int fd, int wrongMode, String wrongWord) throws IpcException {
        int flags = Unistd.fcntl(fd, Unistd.F_GETFL, 0);
        if (flags < 0) {
            throw Errors.failure(
                    flags, "fcntl(F_GETFL)", describe(fd), "no such descriptor was inherited");
        }
        if ((flags & Unistd.O_ACCMODE) == wrongMode) {
            throw new IllegalArgumentException("fd=" + fd + " is open for " + wrongWord + " only");
        }
        Unistd.fcntl(fd, Unistd.F_SETFD, Unistd.FD_CLOEXEC);
    }

    /** The end's native copy buffer, at least min(size, 1 MiB) bytes; call with the lock held. */
    final MemorySegment buffer(long size) {
        long want = Math.min(Math.max(size, 4096), MAX_BUFFER);
        if (buffer == null || buffer.byteSize() < want) {
            // An automatic arena: a call still running in another thread after close() keeps it
            // alive.
            buffer = Arena.ofAuto().allocate(Long.highestOneBit(want - 1) << 1, 64);
        }
        return buffer;
    }

    final void checkOpen() throws ClosedChannelException {
        if (!fd.isOpen()) {
            throw new ClosedChannelException();
        }
    }

    static String describe(int fd) {
        return "fd " + fd;
    }
}
