package io.jipc.pipe;

import io.jipc.Errno;
import io.jipc.IpcException;
import io.jipc.internal.Errors;
import io.jipc.internal.linux.Unistd;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.WritableByteChannel;
import java.util.Objects;

/**
 * The write end of a pipe or FIFO, as a {@link WritableByteChannel} and an {@link OutputStream}
 * ({@man write(2)}).
 *
 * <p><b>Atomicity.</b> A write of at most {@link Pipe#PIPE_BUF} (4096) bytes is atomic: it is done
 * in one {@man write(2)} call, and the kernel never interleaves it with bytes of other writers, in
 * this process or others ({@man pipe(7)}). Larger writes may be interleaved with other writers'
 * data, at any byte.
 *
 * <p><b>No reader.</b> Writing when every read end is closed fails with an {@link IpcException}
 * whose errno is {@code EPIPE}; the JVM is not killed (HotSpot ignores {@code SIGPIPE}). See {@link
 * PipeEnd} for blocking, interruption and virtual threads.
 */
public final class WriteEnd extends PipeEnd implements WritableByteChannel {

    WriteEnd(int fd, String name) throws IpcException {
        super(fd, name);
    }

    /**
     * Takes ownership of a descriptor this process inherited, e.g. fd 4 given by a parent through
     * {@link Spawn#fd(int, io.jipc.Descriptor)} or stdout (1). Marks it close-on-exec.
     *
     * @param fd the descriptor number
     * @return the write end that now owns it
     * @throws IpcException EBADF if {@code fd} is not open
     * @throws IllegalArgumentException if it is open for reading only
     */
    public static WriteEnd inherited(int fd) throws IpcException {
        adopt(fd, Unistd.O_RDONLY, "reading");
        return new WriteEnd(fd, describe(fd));
    }

    /**
     * Writes the buffer's remaining bytes ({@man write(2)}). In blocking mode, returns when all are
     * written (at most {@link Pipe#PIPE_BUF} bytes in one atomic call); in non-blocking mode,
     * writes what fits in one call and may return 0 when the pipe is full.
     *
     * @param src the bytes
     * @return the number of bytes written
     * @throws IpcException EPIPE when no process has a read end open
     * @throws java.nio.channels.ClosedChannelException if this end is closed
     * @throws ClosedByInterruptException if the thread was interrupted while waiting for room (this
     *     end is then closed and the interrupt status set; the bytes of earlier {@man write(2)}
     *     calls of this method were written, those of the interrupted one were not)
     * @throws IOException if write fails
     */
    @Override
    public int write(ByteBuffer src) throws IOException {
        int want = src.remaining();
        if (want == 0) {
            checkOpen();
            return 0;
        }
        int n = fd.acquire();
        int done = 0;
        boolean interrupted = false;
        // From a direct buffer, at most PIPE_BUF bytes: one atomic write(2), nothing to serialise.
        boolean locked = !src.isDirect() || want > Unistd.PIPE_BUF;
        if (locked) {
            lock.lock();
        }
        try {
            boolean block = isBlocking();
            do {
                long r;
                int left = want - done;
                // As in ReadEnd.read: a blocking write that meets O_NONBLOCK (set by another
                // process
                // on the shared description) polls for room and writes on; a non-blocking one is a
                // plain write(2), not critical (it waits only if another process cleared
                // O_NONBLOCK).
                if (src.isDirect()) {
                    // the blocking write makes src's segment itself, beside the downcall (none
                    // allocated); src.remaining() == left
                    r =
                            block
                                    ? Unistd.writeBlocking(kind, n, src)
                                    : Unistd.write(n, MemorySegment.ofBuffer(src), left);
                    if (r > 0) {
                        src.position(src.position() + (int) r);
                    }
                } else {
                    MemorySegment buf = buffer(left);
                    int chunk = (int) Math.min(left, buf.byteSize());
                    MemorySegment.copy(MemorySegment.ofBuffer(src), 0, buf, 0, chunk);
                    r =
                            block
                                    ? Unistd.writeBlocking(kind, n, buf, chunk, -1)
                                    : Unistd.write(n, buf, chunk);
                    if (r > 0) {
                        src.position(src.position() + (int) r);
                    }
                }
                if (Errors.is(r, Errno.EAGAIN)) {
                    break;
                }
                if (Errors.is(r, Errno.EINTR)) {
                    interrupted = true;
                    break;
                }
                if (Errors.is(r, Errno.EPIPE)) {
                    throw new IpcException(
                            "write",
                            name,
                            Errno.EPIPE,
                            "no reader: every read end of the pipe is closed");
                }
                if (r < 0) {
                    throw Errors.failure(r, "write", name, null);
                }
                done += (int) r;
            } while (block && done < want);
        } finally {
            if (locked) {
                lock.unlock();
            }
            fd.release();
        }
        if (interrupted) {
            close();
            throw new ClosedByInterruptException();
        }
        return done;
    }

    /**
     * Writes an array ({@man write(2)}), as {@link #write(ByteBuffer)}.
     *
     * @param b the array
     * @param off where to start
     * @param len how many bytes
     * @return the number of bytes written
     * @throws IOException if write fails
     */
    public int write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        return write(ByteBuffer.wrap(b, off, len));
    }

    /**
     * An {@link OutputStream} over this end (blocking mode only), unbuffered: each {@code
     * write(byte[], int, int)} of at most {@link Pipe#PIPE_BUF} bytes is one atomic {@man
     * write(2)}. Closing the stream closes the end.
     *
     * @return the stream
     */
    public OutputStream outputStream() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                if (!isBlocking()) {
                    throw new IllegalBlockingModeException();
                }
                WriteEnd.this.write(ByteBuffer.wrap(b, off, len));
            }

            @Override
            public void close() {
                WriteEnd.this.close();
            }
        };
    }
}
