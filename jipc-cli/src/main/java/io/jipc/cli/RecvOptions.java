package io.jipc.cli;

import io.jipc.InterruptedCallException;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.time.Duration;

/**
 * {@code --nowait | --timeout D}, {@code --count N}, {@code --format text|hex|raw|json}: how a
 * {@code recv} subcommand takes messages ({@code jipc mq recv}, {@code jipc channel recv}), and the
 * one receive loop they share ({@link #loop}): no message is taken that cannot be delivered. Use as
 * {@code @Mixin RecvOptions recv;}.
 */
final class RecvOptions {
    /** The output formats of {@code recv}. */
    enum Format {
        text,
        hex,
        raw,
        json
    }

    @Option(names = "--nowait", description = "Do not wait for a message; exit 3 if there is none.")
    boolean nowait;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            converter = Converters.Duration.class,
            description =
                    "Wait at most this long for each message ("
                            + Converters.Duration.GRAMMAR
                            + "); exit 3 when it runs out.")
    Duration timeout;

    @Option(
            names = "--count",
            paramLabel = "N",
            defaultValue = "1",
            description = "Receive N messages (default 1).")
    int count;

    @Option(
            names = "--format",
            paramLabel = "FMT",
            defaultValue = "text",
            description = "text, hex, raw or json (default ${DEFAULT-VALUE}).")
    Format format;

    /**
     * Rejects option values that do not go together (exit 2).
     *
     * @param cmd the subcommand
     */
    void validate(Subcommand cmd) {
        if (count < 1) {
            throw cmd.usage("--count must be >= 1 (got " + count + ")");
        }
        if (nowait && timeout != null) {
            throw cmd.usage("--nowait and --timeout exclude each other");
        }
    }

    /** Takes one message. */
    @FunctionalInterface
    interface Taker<M> {
        /**
         * Takes the next message.
         *
         * @param wait false: only if one is there now; true: wait for one (ended by an interrupt,
         *     or by {@link #timeout} if the taker honours it)
         * @return the message, or null if none was there (or came in time)
         * @throws IOException on failure; {@link InterruptedCallException} when interrupted
         */
        M take(boolean wait) throws IOException;
    }

    /** Prints one message. */
    @FunctionalInterface
    interface Printer<M> {
        /**
         * Prints a message.
         *
         * @param m the message
         * @return false to stop with exit 1 (the printer said why)
         * @throws IOException when standard output fails
         */
        boolean print(M m) throws IOException;
    }

    /** Says what a message was, for the line that reports it lost. */
    @FunctionalInterface
    interface Describer<M> {
        /**
         * Describes a message.
         *
         * @param m the message
         * @return e.g. {@code the message of type 5 (3 bytes) was taken off the queue}
         */
        String lost(M m);
    }

    /**
     * Receives {@code --count} messages and prints each: before each, it checks that standard
     * output can still be read, and a wait is ended (by an interrupt, which takes nothing) when its
     * reader goes or {@code --timeout} passes; a message taken and then not written is named on
     * stderr.
     *
     * @param <M> the message type
     * @param cmd the subcommand
     * @param take takes one message
     * @param print prints one
     * @param describe names a lost one
     * @param takeTimesOut true if {@code take(true)} itself honours {@link #timeout} (a timed call
     *     of the library, returning null when it runs out); false to have the wait ended by an
     *     interrupt at the timeout
     * @return the exit code
     * @throws IOException on a failure of {@code take}
     */
    <M> ExitCode loop(
            Subcommand cmd,
            Taker<M> take,
            Printer<M> print,
            Describer<M> describe,
            boolean takeTimesOut)
            throws IOException {
        Output out = cmd.out();
        for (int i = 0; i < count; i++) {
            if (out.readerGone()) {
                return readerGone(cmd, i);
            }
            M m;
            if (nowait) {
                m = take.take(false);
                if (m == null) {
                    return cmd.nothing(i == 0 ? "no message" : "no more messages after " + i);
                }
            } else {
                Wait w = Wait.start(out, takeTimesOut ? null : timeout);
                try {
                    m = take.take(true);
                } catch (InterruptedCallException e) {
                    if (w.readerGone()) {
                        return readerGone(cmd, i);
                    }
                    if (w.timedOut()) {
                        return cmd.nothing(
                                "no message within "
                                        + Converters.Duration.text(timeout)
                                        + (i == 0 ? "" : " (" + i + " received)"));
                    }
                    throw e;
                } finally {
                    w.close();
                }
                if (m == null) {
                    return cmd.nothing(
                            "no message within "
                                    + Converters.Duration.text(timeout)
                                    + (i == 0 ? "" : " (" + i + " received)"));
                }
            }
            try {
                if (!print.print(m)) {
                    return ExitCode.FAILED;
                }
            } catch (OutputFailedException e) {
                out.failureReported();
                cmd.err()
                        .println(
                                cmd.name()
                                        + ": "
                                        + e.getMessage()
                                        + "; "
                                        + describe.lost(m)
                                        + " and is lost; nothing more was received");
                return ExitCode.FAILED;
            }
        }
        return ExitCode.OK;
    }

    private static ExitCode readerGone(Subcommand cmd, int received) {
        boolean pipe = cmd.out().brokenPipe();
        cmd.err()
                .println(
                        cmd.name()
                                + ": "
                                + (pipe
                                        ? "the reader of standard output is gone"
                                        : "standard output is not open for writing")
                                + "; stopped before taking a message"
                                + (received == 0
                                        ? ""
                                        : " (" + received + " written to it, read or not)"));
        return pipe ? ExitCode.BROKEN_PIPE : ExitCode.FAILED;
    }

    /**
     * Ends a blocked receive of the current thread (by {@link Thread#interrupt()}, which takes
     * nothing) when standard output's reader goes or the timeout passes.
     */
    static final class Wait implements AutoCloseable {
        private final Thread watcher;
        private volatile boolean gone;
        private volatile boolean timedOut;

        private Wait(Output out, Duration timeout) {
            Thread receiver = Thread.currentThread();
            boolean watchOutput = out.fd() >= 0;
            if (!watchOutput && timeout == null) {
                watcher = null;
                return;
            }
            Duration limit = timeout != null ? timeout : Duration.ofDays(36_500);
            watcher =
                    Thread.ofPlatform()
                            .daemon()
                            .name("jipc-recv-wait")
                            .start(
                                    () -> {
                                        try {
                                            if (out.awaitReaderGone(limit)) {
                                                gone = true;
                                            } else {
                                                timedOut = true;
                                            }
                                            receiver.interrupt();
                                        } catch (InterruptedException e) {
                                            // the receive ended first
                                        }
                                    });
        }

        static Wait start(Output out, Duration timeout) {
            return new Wait(out, timeout);
        }

        boolean readerGone() {
            return gone;
        }

        boolean timedOut() {
            return timedOut;
        }

        @Override
        public void close() {
            if (watcher != null) {
                watcher.interrupt();
                boolean joined = false;
                while (!joined) {
                    try {
                        watcher.join();
                        joined = true;
                    } catch (InterruptedException e) {
                        // the watcher's own interrupt of this thread; join again
                    }
                }
                Thread.interrupted(); // an interrupt that came as the message arrived: the
                // message was returned
            }
        }
    }
}
