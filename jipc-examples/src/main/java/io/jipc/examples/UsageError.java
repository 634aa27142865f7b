package io.jipc.examples;

/**
 * Arguments an example cannot use, thrown by {@link Example#run} before it does anything: {@code
 * jipc example} turns it into its one usage line (exit 2), and an example's own {@code main}
 * ({@link Examples#main}) into one line on standard error (exit 2).
 */
public final class UsageError extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The arguments the example takes, e.g. {@code PORT NAME MATH CHINESE}. */
    private final String synopsis;

    /**
     * A usage error.
     *
     * @param reason what is wrong, e.g. {@code expected 4 arguments, got 1}
     * @param synopsis the arguments the example takes, e.g. {@code PORT NAME MATH CHINESE}
     */
    public UsageError(String reason, String synopsis) {
        super(reason);
        this.synopsis = synopsis;
    }

    /**
     * What is wrong.
     *
     * @return the reason
     */
    public String reason() {
        return getMessage();
    }

    /**
     * The arguments the example takes.
     *
     * @return e.g. {@code PORT NAME MATH CHINESE}
     */
    public String synopsis() {
        return synopsis;
    }

    /**
     * Throws a usage error unless there are {@code min} to {@code max} arguments.
     *
     * @param args the arguments
     * @param min the fewest
     * @param max the most ({@link Integer#MAX_VALUE} for no limit)
     * @param synopsis the arguments the example takes
     * @throws UsageError if the count is outside that range
     */
    static void requireCount(String[] args, int min, int max, String synopsis) {
        if (args.length >= min && args.length <= max) {
            return;
        }
        String expected =
                max == Integer.MAX_VALUE
                        ? "at least " + min
                        : max == min
                                ? Integer.toString(min)
                                : max == min + 1 ? min + " or " + max : min + " to " + max;
        throw new UsageError(
                "expected "
                        + expected
                        + " argument"
                        + (max == 1 && min == 1 ? "" : "s")
                        + ", got "
                        + args.length,
                synopsis);
    }
}
