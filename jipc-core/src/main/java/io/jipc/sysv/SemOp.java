package io.jipc.sysv;

/**
 * One operation of a {@man semop(2)} call: C's {@code struct sembuf} ({@code sem_num}, {@code
 * sem_op}, {@code sem_flg}). Immutable; the flag methods return a copy.
 *
 * <ul>
 *   <li>a positive {@code delta} adds to the semaphore (never blocks, but fails with {@link
 *       io.jipc.LimitExceededException} beyond {@code semvmx});
 *   <li>a negative {@code delta} waits until the value is at least {@code -delta}, then subtracts
 *       it;
 *   <li>{@code delta == 0} waits until the value is zero.
 * </ul>
 *
 * Several operations passed to one {@link SemaphoreSet#op(SemOp...)} are applied atomically: all of
 * them or none, and the call waits until all can be done at once.
 */
public final class SemOp {
    private final int index;
    private final int delta;
    private final boolean undo;
    private final boolean noWait;

    /**
     * An operation from all its fields.
     *
     * @param index the semaphore's index in the set ({@code sem_num}), 0..65535
     * @param delta the change ({@code sem_op}), -32768..32767 (a C {@code short}; {@code semvmx} is
     *     32767 on Linux, so no larger value could ever succeed)
     * @param undo whether the kernel reverts this change when the process exits ({@code SEM_UNDO})
     * @param noWait whether the call fails instead of waiting when this operation cannot be done
     *     now ({@code IPC_NOWAIT})
     * @throws IllegalArgumentException if {@code index} or {@code delta} do not fit their C types
     */
    public SemOp(int index, int delta, boolean undo, boolean noWait) {
        if (index < 0 || index > 0xffff) {
            throw new IllegalArgumentException(
                    "index=" + index + " (sem_num is an unsigned short: 0..65535)");
        }
        if (delta < Short.MIN_VALUE || delta > Short.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "delta="
                            + delta
                            + " (sem_op is a C short: -32768..32767; no semaphore can exceed semvmx = 32767)");
        }
        this.index = index;
        this.delta = delta;
        this.undo = undo;
        this.noWait = noWait;
    }

    /**
     * The semaphore's index in the set ({@code sem_num}).
     *
     * @return the index
     */
    public int index() {
        return index;
    }

    /**
     * The change ({@code sem_op}): positive adds, negative takes, 0 waits for zero.
     *
     * @return the change
     */
    public int delta() {
        return delta;
    }

    /**
     * Whether {@code SEM_UNDO} is set.
     *
     * @return true if the kernel reverts this change when the process exits
     */
    public boolean isUndo() {
        return undo;
    }

    /**
     * Whether {@code IPC_NOWAIT} is set.
     *
     * @return true if the call fails instead of waiting for this operation
     */
    public boolean isNoWait() {
        return noWait;
    }

    /**
     * Subtract one, waiting while the value is 0 (P, wait, acquire).
     *
     * @param index the semaphore
     * @return the operation
     */
    public static SemOp down(int index) {
        return new SemOp(index, -1, false, false);
    }

    /**
     * Subtract {@code n}, waiting while the value is below {@code n}.
     *
     * @param index the semaphore
     * @param n how much to take, 1..32768
     * @return the operation
     */
    public static SemOp down(int index, int n) {
        requirePositive(n);
        return new SemOp(index, -n, false, false);
    }

    /**
     * Add one (V, signal, release).
     *
     * @param index the semaphore
     * @return the operation
     */
    public static SemOp up(int index) {
        return new SemOp(index, 1, false, false);
    }

    /**
     * Add {@code n}.
     *
     * @param index the semaphore
     * @param n how much to add, 1..32767
     * @return the operation
     */
    public static SemOp up(int index, int n) {
        requirePositive(n);
        return new SemOp(index, n, false, false);
    }

    /**
     * Wait until the value is zero (a {@code sem_op} of 0).
     *
     * @param index the semaphore
     * @return the operation
     */
    public static SemOp waitZero(int index) {
        return new SemOp(index, 0, false, false);
    }

    /**
     * An operation from its raw change, as C writes it ({@code {index, delta, 0}}).
     *
     * @param index the semaphore
     * @param delta the change: positive adds, negative takes (waiting), 0 waits for zero
     * @return the operation
     */
    public static SemOp of(int index, int delta) {
        return new SemOp(index, delta, false, false);
    }

    /**
     * This operation with {@code SEM_UNDO}: the kernel records the opposite change and applies it
     * when the process exits, however it exits (even {@code SIGKILL}).
     *
     * @return a copy with {@code undo} set
     */
    public SemOp undo() {
        return new SemOp(index, delta, true, noWait);
    }

    /**
     * This operation with {@code IPC_NOWAIT}: if it cannot be done at once, the whole call does
     * nothing and reports "would block" instead of waiting.
     *
     * @return a copy with {@code noWait} set
     */
    public SemOp nowait() {
        return new SemOp(index, delta, undo, true);
    }

    /**
     * The {@code sem_flg} bits as C sees them ({@code SEM_UNDO} 0x1000, {@code IPC_NOWAIT} 0x800).
     *
     * @return the flags
     */
    public int flags() {
        return (undo ? 0x1000 : 0) | (noWait ? 0x800 : 0);
    }

    /**
     * C-like text, e.g. {@code "0:-1 undo"} or {@code "2:0"}.
     *
     * @return the text
     */
    @Override
    public String toString() {
        return index
                + ":"
                + (delta > 0 ? "+" : "")
                + delta
                + (undo ? " undo" : "")
                + (noWait ? " nowait" : "");
    }

    /**
     * Equal when every field is.
     *
     * @param o another object
     * @return whether it is the same operation
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof SemOp x
                && x.index == index
                && x.delta == delta
                && x.undo == undo
                && x.noWait == noWait;
    }

    /**
     * A hash of every field.
     *
     * @return the hash
     */
    @Override
    public int hashCode() {
        return java.util.Objects.hash(index, delta, undo, noWait);
    }

    private static void requirePositive(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("n=" + n + " (must be positive)");
        }
    }
}
