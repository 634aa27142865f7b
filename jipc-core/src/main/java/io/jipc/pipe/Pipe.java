package io.jipc.pipe;

import io.jipc.IpcException;
import io.jipc.internal.Errors;
import io.jipc.internal.linux.Unistd;

/**
 * An anonymous pipe ({@man pipe(2)}, {@man pipe(7)}): a one-way byte stream the kernel buffers,
 * with a {@linkplain #source() read end} and a {@linkplain #sink() write end} that can be closed
 * apart and handed to child processes with {@link Spawn}. Unlike {@link java.nio.channels.Pipe},
 * its ends can leave the process.
 *
 * <pre>{@code
 * try (Pipe p = Pipe.open()) {
 *     Child c = Spawn.of("md5sum").stdin(p.source()).start();
 *     p.source().close();                 // the child holds its own copy
 *     p.sink().write(ByteBuffer.wrap(data));
 *     p.sink().close();                   // md5sum sees end-of-file
 *     c.waitFor();
 * }
 * }</pre>
 *
 * <p>Both descriptors are created close-on-exec ({@code O_CLOEXEC}): a child gets only the ends
 * given to it explicitly (by {@link Spawn}, which also closes every other descriptor), never one by
 * accident — an accidental copy of a write end in a child would keep every reader from seeing
 * end-of-file.
 *
 * <p>Semantics, as {@man pipe(7)} defines them: reads return what is there, and -1 once the pipe is
 * empty and every write end (in every process) is closed; writes of at most {@link #PIPE_BUF} bytes
 * are atomic; writing with no read end left fails with EPIPE; the capacity is 64 KiB by default and
 * can be changed with {@link PipeEnd#setCapacity(int)}.
 */
public final class Pipe implements AutoCloseable {
    /**
     * Writes of at most this many bytes are never interleaved with other writers' ({@code
     * PIPE_BUF}).
     */
    public static final int PIPE_BUF = Unistd.PIPE_BUF;

    private final ReadEnd source;
    private final WriteEnd sink;

    private Pipe(ReadEnd source, WriteEnd sink) {
        this.source = source;
        this.sink = sink;
    }

    /**
     * Creates a pipe with both ends in blocking mode and close-on-exec ({@code pipe2(fds,
     * O_CLOEXEC)}).
     *
     * @return the pipe
     * @throws IpcException EMFILE/ENFILE when out of descriptors
     */
    public static Pipe open() throws IpcException {
        int[] fds = Unistd.pipe2(Unistd.O_CLOEXEC);
        if (fds[0] < 0) {
            throw Errors.failure(fds[0], "pipe2", "O_CLOEXEC", null);
        }
        ReadEnd r;
        try {
            r = new ReadEnd(fds[0], "pipe read end (fd " + fds[0] + ")");
        } catch (IpcException e) {
            Unistd.close(fds[1]);
            throw e;
        }
        try {
            return new Pipe(r, new WriteEnd(fds[1], "pipe write end (fd " + fds[1] + ")"));
        } catch (IpcException e) {
            r.close();
            throw e;
        }
    }

    /**
     * The read end.
     *
     * @return the read end
     */
    public ReadEnd source() {
        return source;
    }

    /**
     * The write end.
     *
     * @return the write end
     */
    public WriteEnd sink() {
        return sink;
    }

    /** Closes both ends in this process (each close is idempotent). */
    @Override
    public void close() {
        sink.close();
        source.close();
    }

    @Override
    public String toString() {
        return "Pipe[" + source + ", " + sink + "]";
    }
}
