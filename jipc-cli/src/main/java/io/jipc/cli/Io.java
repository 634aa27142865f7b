package io.jipc.cli;

import io.jipc.pipe.OutputCheck;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * The standard streams of one run of the command line. {@link Main#main} uses the process's own
 * descriptors (unbuffered, so that a failed write is seen at once and not hidden by {@code
 * System.out}); tests and embedders pass streams. Subcommands reach it through {@link
 * Subcommand#io()}; there is no static stream to swap.
 *
 * @param in standard input
 * @param out standard output
 * @param err standard error (autoflushed, UTF-8)
 */
record Io(InputStream in, Output out, PrintWriter err) {

    /**
     * The process's standard streams (fds 0, 1, 2).
     *
     * @return the streams
     */
    static Io system() {
        return new Io(
                new FileInputStream(FileDescriptor.in),
                new Output(new FileOutputStream(FileDescriptor.out), 1, OutputCheck.isTerminal(1)),
                new PrintWriter(
                        new OutputStreamWriter(
                                new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8),
                        true));
    }

    /**
     * Streams given by a caller (a test, an embedding program): no descriptor behind standard
     * output, which is not a terminal.
     *
     * @param in standard input
     * @param out standard output
     * @param err standard error
     * @return the streams
     */
    static Io of(InputStream in, OutputStream out, OutputStream err) {
        return new Io(
                in,
                new Output(out, -1, false),
                new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true));
    }
}
