package io.jipc.channel;

/**
 * How a reader waits for a message, and a writer for room: first {@link #spins()} busy-wait rounds
 * ({@link Thread#onSpinWait()}), then {@link #yields()} rounds of {@link Thread#yield()}, then, if
 * {@link #parks()}, a futex wait ({@man futex(2)}) on the channel's signal word, which costs no CPU
 * until a writer (or the reader) wakes it. Every round re-checks the channel, the interrupt status
 * and the deadline, so the strategy never changes what a blocking call returns, only its latency
 * and the CPU it burns.
 *
 * <p>A writer only makes the wake-up system call when the waiters bit of the signal word says
 * someone sleeps: a spinning reader costs writers no system call.
 *
 * <p>Immutable and thread-safe.
 */
public final class IdleStrategy {
    private static final IdleStrategy DEFAULT = new IdleStrategy(1_000, 50, true);
    private static final IdleStrategy SPINNING = new IdleStrategy(Integer.MAX_VALUE, 0, false);

    private final int spins;
    private final int yields;
    private final boolean parks;

    private IdleStrategy(int spins, int yields, boolean parks) {
        this.spins = spins;
        this.yields = yields;
        this.parks = parks;
    }

    /**
     * The default: 1,000 spins, 50 yields, then park.
     *
     * @return the strategy
     */
    public static IdleStrategy parking() {
        return DEFAULT;
    }

    /**
     * Busy-spins and never sleeps: the lowest latency, one CPU burned while waiting. Timeouts and
     * interrupts are still honoured.
     *
     * @return the strategy
     */
    public static IdleStrategy spinning() {
        return SPINNING;
    }

    /**
     * Spins, yields, then parks.
     *
     * @param spins busy-wait rounds before yielding (0 for none)
     * @param yields {@code Thread.yield()} rounds before parking (0 for none)
     * @return the strategy
     * @throws IllegalArgumentException if a count is negative
     */
    public static IdleStrategy of(int spins, int yields) {
        if (spins < 0 || yields < 0) {
            throw new IllegalArgumentException(
                    "spins=" + spins + ", yields=" + yields + " (must not be negative)");
        }
        return new IdleStrategy(spins, yields, true);
    }

    /**
     * The busy-wait rounds.
     *
     * @return the count
     */
    public int spins() {
        return spins;
    }

    /**
     * The yield rounds.
     *
     * @return the count
     */
    public int yields() {
        return yields;
    }

    /**
     * Whether the strategy ends in a futex wait.
     *
     * @return true unless {@link #spinning()}
     */
    public boolean parks() {
        return parks;
    }

    /**
     * Idles once, for round {@code round} (0 first) of a wait.
     *
     * @return true if the caller should look again, false if it should park now
     */
    boolean idle(int round) {
        if (round < spins) {
            Thread.onSpinWait();
            return true;
        }
        if (round - spins < yields) {
            Thread.yield();
            return true;
        }
        if (!parks) {
            Thread.onSpinWait();
            return true;
        }
        return false;
    }

    @Override
    public String toString() {
        return parks
                ? "IdleStrategy[spins=" + spins + ", yields=" + yields + ", then park]"
                : "IdleStrategy[spin]";
    }
}
