package io.jipc.cli;

import picocli.CommandLine.Option;

import java.time.Duration;

/**
 * {@code --interval D}, {@code --count N}, {@code --plain}: how a {@code watch} subcommand
 * refreshes ({@code jipc watch}, {@code jipc channel watch}), and its full-screen redraw. Use as
 * {@code @Mixin WatchOptions watch;}, call {@link #validate} first.
 */
final class WatchOptions {
    @Option(
            names = "--interval",
            paramLabel = "DURATION",
            defaultValue = "1s",
            converter = Converters.Duration.class,
            description =
                    "Time between refreshes, at least 10ms ("
                            + Converters.Duration.GRAMMAR
                            + "; default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(
            names = "--count",
            paramLabel = "N",
            description = "Stop after N refreshes (default: until Ctrl-C).")
    Long count;

    @Option(names = "--plain", description = "One line per tick even on a terminal.")
    boolean plain;

    /**
     * Rejects a count below 1 and an interval below 10 ms (exit 2).
     *
     * @param cmd the subcommand
     */
    void validate(Subcommand cmd) {
        if (count != null && count < 1) {
            throw cmd.usage("--count must be at least 1 (got " + count + ")");
        }
        if (interval.toMillis() < 10) {
            throw cmd.usage(
                    "--interval "
                            + Converters.Duration.text(interval)
                            + " is too short (at least 10ms)");
        }
    }

    /**
     * Whether tick number {@code tick} (from 0) is still to be shown.
     *
     * @param tick the tick
     * @return true until {@code --count} ticks were shown
     */
    boolean more(long tick) {
        return count == null || tick < count;
    }

    /**
     * Whether to redraw a full screen (a terminal, without {@code --plain}) rather than print
     * lines.
     *
     * @param out standard output
     * @return true for a full screen
     */
    boolean screen(Output out) {
        return !plain && out.terminal();
    }

    /**
     * The interval as the header line shows it.
     *
     * @return e.g. {@code 1s} or {@code 250ms}
     */
    String every() {
        return Converters.Duration.text(interval);
    }

    /**
     * Draws a page: home (and clear, on the first tick), each line overwritten and its rest
     * cleared, then everything below cleared: no flicker.
     *
     * @param out standard output
     * @param tick the tick, from 0
     * @param page the page's text
     */
    static void redraw(Output out, long tick, String page) {
        out.print(tick == 0 ? "\033[H\033[2J" : "\033[H");
        page.lines().forEach(l -> out.print(l + "\033[K\n"));
        out.print("\033[J");
    }
}
