package io.jipc.cli;

import io.jipc.pipe.OutputCheck;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Standard output of one run: a {@link PrintWriter} for text (UTF-8, whatever the locale, so that
 * the bytes of a UTF-8 body are the bytes printed) that also writes bytes, and that does not
 * swallow failures. A {@code PrintWriter} hides {@link IOException}s; this one remembers the first
 * and {@link #check()} throws it as an {@link OutputFailedException}. {@link Main} checks after
 * every command; a command that takes something it cannot give back (a queue message) checks after
 * every item and asks {@link #readerGone()} before taking the next.
 *
 * <p>Text that came from outside (message bodies, segment bytes) goes through {@link Text} first:
 * nothing but text is ever written to a terminal.
 */
final class Output extends PrintWriter {
    private final Sink sink;
    private final int fd;
    private final boolean terminal;

    /**
     * Standard output over a stream.
     *
     * @param stream where the bytes go
     * @param fd the descriptor behind it (1), or -1 if there is none (a test's buffer)
     * @param terminal whether it is a terminal
     */
    Output(OutputStream stream, int fd, boolean terminal) {
        this(new Sink(stream), fd, terminal);
    }

    private Output(Sink sink, int fd, boolean terminal) {
        super(new OutputStreamWriter(sink, StandardCharsets.UTF_8), false);
        this.sink = sink;
        this.fd = fd;
        this.terminal = terminal;
    }

    /**
     * Whether standard output is a terminal (then binary bytes are never written as they are).
     *
     * @return true on a terminal
     */
    boolean terminal() {
        return terminal;
    }

    /**
     * Writes bytes as they are, after the text printed so far, and checks that they were written.
     *
     * @param bytes the bytes
     * @throws OutputFailedException if this or an earlier write failed
     */
    void bytes(byte[] bytes) throws OutputFailedException {
        flush();
        sink.writeThrough(bytes);
        check();
    }

    /**
     * Flushes, then throws the first failure of any write so far.
     *
     * @throws OutputFailedException if a write failed
     */
    void check() throws OutputFailedException {
        flush();
        IOException failure = sink.failure;
        if (failure != null) {
            throw failure instanceof OutputFailedException o
                    ? o
                    : new OutputFailedException(failure, brokenPipe());
        }
    }

    /**
     * Says that the command reported the failure of a write itself (naming what was lost), so that
     * {@link Main} does not report it again.
     */
    void failureReported() {
        sink.reported = true;
    }

    /**
     * Whether a failure of a write was reported by the command already.
     *
     * @return true if so
     */
    boolean failureWasReported() {
        return sink.reported;
    }

    /**
     * Whether nobody can read standard output any more (see {@link OutputCheck#readerGone}): asked
     * before taking what could not be given back. False when there is no descriptor.
     *
     * @return true if the reader is gone
     */
    boolean readerGone() {
        return fd >= 0 && OutputCheck.readerGone(fd);
    }

    /**
     * Whether standard output is a pipe (or socket, or terminal) whose reader went away, as opposed
     * to a descriptor that was closed or is open for reading only: the case a C program would be
     * killed by SIGPIPE for.
     *
     * @return true for a broken pipe
     */
    boolean brokenPipe() {
        return readerGone() && OutputCheck.isWritable(fd);
    }

    /**
     * Waits {@code time}, or less if the reader of standard output goes meanwhile.
     *
     * @param time how long
     * @return true if the reader went
     * @throws InterruptedException if the thread was interrupted
     */
    boolean awaitReaderGone(Duration time) throws InterruptedException {
        if (fd < 0) {
            Thread.sleep(time);
            return false;
        }
        try {
            return OutputCheck.awaitReaderGone(fd, time);
        } catch (InterruptedIOException e) {
            throw new InterruptedException(e.getMessage());
        }
    }

    /**
     * The descriptor behind this output, or -1.
     *
     * @return the descriptor
     */
    int fd() {
        return fd;
    }

    /** Passes bytes on and keeps the first failure (which {@link PrintWriter} would hide). */
    private static final class Sink extends OutputStream {
        private final OutputStream out;
        IOException failure;
        boolean reported;

        Sink(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (failure != null) {
                throw failure;
            }
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        void writeThrough(byte[] b) {
            try {
                write(b, 0, b.length);
                flush();
            } catch (IOException e) {
                // kept in failure
            }
        }

        @Override
        public void flush() throws IOException {
            if (failure != null) {
                throw failure;
            }
            try {
                out.flush();
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }
    }
}
