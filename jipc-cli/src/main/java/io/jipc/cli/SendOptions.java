package io.jipc.cli;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.time.Duration;

/**
 * {@code --nowait | --timeout D} of a {@code send} that can wait for room ({@code jipc pmq send},
 * {@code jipc channel send}), and the three ways of sending they choose between ({@link #send}).
 * Use as {@code @Mixin SendOptions wait;}.
 */
final class SendOptions {
    @Option(names = "--nowait", description = "Exit 3 instead of waiting when there is no room.")
    boolean nowait;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            converter = Converters.Duration.class,
            description =
                    "Wait at most this long for room ("
                            + Converters.Duration.GRAMMAR
                            + "); exit 3 when it runs out.")
    Duration timeout;

    /**
     * Rejects {@code --nowait} with {@code --timeout} (exit 2).
     *
     * @param cmd the subcommand
     */
    void validate(Subcommand cmd) {
        if (nowait && timeout != null) {
            throw cmd.usage("--nowait and --timeout exclude each other");
        }
    }

    /** A send that may not wait: true if sent. */
    @FunctionalInterface
    interface Attempt {
        /**
         * Sends or gives up.
         *
         * @return true if sent
         * @throws IOException on failure
         */
        boolean send() throws IOException;
    }

    /** A send that waits at most a time: true if sent. */
    @FunctionalInterface
    interface Timed {
        /**
         * Sends, waiting at most {@code timeout}.
         *
         * @param timeout the longest wait
         * @return true if sent
         * @throws IOException on failure
         */
        boolean send(Duration timeout) throws IOException;
    }

    /** A send that waits as long as it takes. */
    @FunctionalInterface
    interface Waiting {
        /**
         * Sends.
         *
         * @throws IOException on failure
         */
        void send() throws IOException;
    }

    /**
     * Sends the way the options say: {@code attempt} with {@code --nowait} (exit 3 when full),
     * {@code timed} with {@code --timeout} (exit 3 when it runs out), else {@code waiting}.
     *
     * @param cmd the subcommand
     * @param full what "no room" is, e.g. {@code the channel is full}
     * @param attempt the send that does not wait
     * @param timed the timed send
     * @param waiting the send that waits
     * @return the exit code
     * @throws IOException on failure
     */
    ExitCode send(Subcommand cmd, String full, Attempt attempt, Timed timed, Waiting waiting)
            throws IOException {
        if (nowait) {
            return attempt.send() ? ExitCode.OK : cmd.nothing(full);
        }
        if (timeout != null) {
            return timed.send(timeout)
                    ? ExitCode.OK
                    : cmd.nothing("no room within " + Converters.Duration.text(timeout));
        }
        waiting.send();
        return ExitCode.OK;
    }
}
