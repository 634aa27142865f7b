package io.jipc.pipe;

import io.jipc.Errno;
import io.jipc.IpcException;
import io.jipc.internal.Errors;
import io.jipc.internal.linux.Blocking;
import io.jipc.internal.linux.Unistd;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.ReadableByteChannel;
import java.time.Duration;
import java.util.Objects;

/**
 * The read end of a pipe or FIFO, as a {@link ReadableByteChannel} and an {@link InputStream}
 * ({@man read(2)}). A read returns what the pipe holds, up to the buffer's room, and -1
 * (end-of-file) once the pipe is empty and every write end in every process is closed. See {@link
 * PipeEnd} for blocking, interruption and virtual threads.
 */
public final class ReadEnd extends PipeEnd implements ReadableByteChannel {

    ReadEnd(int fd, String name) throws IpcException {
        super(fd, name);
    }

    /**
     * Takes ownership of a descriptor this process inherited, e.g. fd 3 given by a parent through
     * {@link Spawn#fd(int, io.jipc.Descriptor)} or stdin (0). Marks it close-on-exec so that it is
     * not passed on further by accident.
     *
     * @param fd the descriptor number
     * @return the read end that now owns it
     * @throws IpcException EBADF if {@code fd} is not open
     * @throws IllegalArgumentException if it is open for writing only
     */
    public static ReadEnd inherited(int fd) throws IpcException {
        adopt(fd, Unistd.O_WRONLY, "writing");
        return new ReadEnd(fd, describe(fd));
    }

    /**
     * Reads up to {@code dst.remaining()} bytes ({@man read(2)}), at least one unless at
     * end-of-file or in non-blocking mode. In blocking mode the wait ends on {@link
     * Thread#interrupt()} (see {@link PipeEnd}: this end is closed, {@link
     * ClosedByInterruptException}, no byte taken) and does not pin a virtual thread's carrier.
     *
     * @param dst the buffer
     * @return the number of bytes read; -1 at end-of-file; 0 in non-blocking mode when the pipe is
     *     empty (or when {@code dst} has no room)
     * @throws java.nio.channels.ClosedChannelException if this end is closed
     * @throws ClosedByInterruptException if the thread was interrupted while waiting (this end is
     *     then closed and the interrupt status set)
     * @throws IOException if read fails
     */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        return read(dst, -1);
    }

    /**
     * Reads up to {@code dst.remaining()} bytes ({@man read(2)}), waiting at most {@code timeout}
     * for the first byte; blocking mode only. The timeout is enforced by cancelling the kernel wait
     * ({@man read(2)} has none): a signal neither shortens nor lengthens it, and no byte is taken
     * when it passes.
     *
     * @param dst the buffer
     * @param timeout the longest wait, zero or positive
     * @return the number of bytes read (at least one); -1 at end-of-file; 0 if the time ran out
     * @throws IllegalBlockingModeException if this end is in non-blocking mode
     * @throws ClosedByInterruptException if the thread was interrupted while waiting
     * @throws IOException if read fails
     */
    public int read(ByteBuffer dst, Duration timeout) throws IOException {
        long nanos = Blocking.timeoutNanos(timeout);
        requireBlocking();
        return read(dst, nanos);
    }

    private int read(ByteBuffer dst, long timeoutNanos) throws IOException {
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("dst is read-only");
        }
        int want = dst.remaining();
        if (want == 0) {
            checkOpen();
            return 0;
        }
        int n = fd.acquire();
        long r;
        // Into a direct buffer: one read(2) into the caller's memory, nothing of this end's to
        // guard.
        boolean locked = !dst.isDirect();
        if (locked) {
            lock.lock();
        }
        try {
            // The mode this end last set or saw: another process sharing the description may have
            // changed it since. A blocking read that meets O_NONBLOCK polls and reads again; a
            // non-blocking one is a plain read(2), never linked critical: should another process
            // have cleared O_NONBLOCK it waits as the description says (as C would), without
            // holding up the JVM's safepoints.
            boolean block = isBlocking();
            if (dst.isDirect()) {
                // the blocking read makes dst's segment itself, beside the downcall (none
                // allocated)
                r =
                        block
                                ? Unistd.readBlocking(kind, n, dst, timeoutNanos)
                                : Unistd.read(n, MemorySegment.ofBuffer(dst), want);
                if (r > 0) {
                    dst.position(dst.position() + (int) r);
                }
            } else {
                MemorySegment buf = buffer(want);
                long chunk = Math.min(want, buf.byteSize());
                r =
                        block
                                ? Unistd.readBlocking(kind, n, buf, chunk, timeoutNanos)
                                : Unistd.read(n, buf, chunk);
                if (r > 0) {
                    MemorySegment.copy(buf, 0, MemorySegment.ofBuffer(dst), 0, r);
                    dst.position(dst.position() + (int) r);
                }
            }
        } finally {
            if (locked) {
                lock.unlock();
            }
            fd.release();
        }
        if (r == 0) {
            return -1;
        }
        if (Errors.is(r, Errno.EAGAIN) || Errors.is(r, Errno.ETIMEDOUT)) {
            return 0;
        }
        if (Errors.is(r, Errno.EINTR)) {
            close();
            throw new ClosedByInterruptException();
        }
        if (r < 0) {
            throw Errors.failure(r, "read", name, null);
        }
        return (int) r;
    }

    /**
     * Reads into an array ({@man read(2)}).
     *
     * @param b the array
     * @param off where to start
     * @param len the most bytes to read
     * @return as {@link #read(ByteBuffer)}
     * @throws IOException if read fails
     */
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        return read(ByteBuffer.wrap(b, off, len));
    }

    /**
     * Reads until {@code dst} is full or end-of-file; in blocking mode only.
     *
     * @param dst the buffer
     * @return the bytes read (fewer than asked only at end-of-file)
     * @throws IOException if read fails
     */
    public int readFully(ByteBuffer dst) throws IOException {
        requireBlocking();
        int total = 0;
        while (dst.hasRemaining()) {
            int r = read(dst);
            if (r < 0) {
                break;
            }
            total += r;
        }
        return total;
    }

    /**
     * An {@link InputStream} over this end (blocking mode only); closing the stream closes the end.
     * {@code available()} is 0.
     *
     * @return the stream
     */
    public InputStream inputStream() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int r;
                do {
                    r = read(one, 0, 1);
                } while (r == 0);
                return r < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                if (len == 0) {
                    return 0;
                }
                requireBlocking();
                return ReadEnd.this.read(ByteBuffer.wrap(b, off, len));
            }

            @Override
            public void close() {
                ReadEnd.this.close();
            }
        };
    }

    private void requireBlocking() {
        if (!isBlocking()) {
            throw new IllegalBlockingModeException();
        }
    }
}
