package io.jipc.sysv;

import io.jipc.IpcException;

import java.time.Duration;
import java.util.Objects;

/**
 * A cross-process counting semaphore on one semaphore of a {@link SemaphoreSet}: its value is the
 * number of permits available; {@link #acquire(int)} takes {@code n} (waiting until there are that
 * many), {@link #release(int)} gives {@code n} back. C programs using {@code semop} on the same
 * semaphore take part.
 *
 * <p>Two flavours:
 *
 * <ul>
 *   <li>{@link #withUndo}: every acquire and release carries {@code SEM_UNDO}, so permits a process
 *       holds when it dies (even by {@code SIGKILL}) return to the pool. A process must release
 *       what it acquired, not more: the kernel keeps one adjustment per process and semaphore,
 *       bounded by {@code semaem} (32767), and an operation that would take it beyond fails with
 *       {@link io.jipc.LimitExceededException}. When an exiting process's adjustment would make the
 *       value negative, Linux clamps it to 0. {@code SETVAL}/{@code SETALL} clear every adjustment.
 *   <li>{@link #withoutUndo}: plain operations, for producer/consumer counts where one process
 *       releases what another acquires (undo would undo the producer's work when it exits).
 * </ul>
 *
 * Undo covers only the count, not whatever the permits protect. Undo is per process, not per
 * thread: permits taken by a thread that ends stay taken while the process lives. Threads of one
 * JVM may share a counting semaphore directly (the count is the kernel's); each waiting thread
 * waits in the kernel. Waiting behaves as {@link SemaphoreSet#op(SemOp...)}: {@link
 * Thread#interrupt()} ends it with {@link io.jipc.InterruptedCallException} (nothing taken,
 * interrupt status kept), the timed forms are exact to the kernel's timeout, removing the set ends
 * it with {@link io.jipc.RemovedException}, and a virtual thread does not pin its carrier.
 */
public final class CountingSemaphore {
    private final SemaphoreSet set;
    private final int index;
    private final boolean undo;

    private CountingSemaphore(SemaphoreSet set, int index, boolean undo) {
        set.checkIndex(index);
        this.set = set;
        this.index = index;
        this.undo = undo;
    }

    /**
     * A counting semaphore whose permits return to the pool when their holder process exits.
     *
     * @param set the set
     * @param index the semaphore holding the count
     * @return the semaphore
     * @throws IndexOutOfBoundsException if {@code index} is outside the set
     */
    public static CountingSemaphore withUndo(SemaphoreSet set, int index) {
        return new CountingSemaphore(Objects.requireNonNull(set, "set"), index, true);
    }

    /**
     * A counting semaphore without {@code SEM_UNDO}: acquiring and releasing may happen in
     * different processes.
     *
     * @param set the set
     * @param index the semaphore holding the count
     * @return the semaphore
     * @throws IndexOutOfBoundsException if {@code index} is outside the set
     */
    public static CountingSemaphore withoutUndo(SemaphoreSet set, int index) {
        return new CountingSemaphore(Objects.requireNonNull(set, "set"), index, false);
    }

    private SemOp op(int delta) {
        SemOp o = SemOp.of(index, delta);
        return undo ? o.undo() : o;
    }

    private static int check(int n) {
        if (n < 1 || n > Short.MAX_VALUE) {
            throw new IllegalArgumentException("n=" + n + " (must be 1..32767)");
        }
        return n;
    }

    /**
     * Takes one permit, waiting until one is available.
     *
     * @throws IpcException on failure
     */
    public void acquire() throws IpcException {
        acquire(1);
    }

    /**
     * Takes {@code n} permits at once, waiting until that many are available.
     *
     * @param n the number of permits, 1..32767
     * @throws io.jipc.RemovedException if the set is removed while waiting
     * @throws IpcException on other failures
     */
    public void acquire(int n) throws IpcException {
        set.op(op(-check(n)));
    }

    /**
     * Takes {@code n} permits if that many are available now.
     *
     * @param n the number of permits
     * @return true if taken, false if fewer were available (none taken)
     * @throws IpcException on failure
     */
    public boolean tryAcquire(int n) throws IpcException {
        return set.tryOp(op(-check(n)));
    }

    /**
     * Takes {@code n} permits, waiting at most {@code timeout} ({@code semtimedop}).
     *
     * @param n the number of permits
     * @param timeout the longest wait
     * @return true if taken, false if the time ran out (none taken)
     * @throws IpcException on failure
     */
    public boolean tryAcquire(int n, Duration timeout) throws IpcException {
        return set.op(timeout, op(-check(n)));
    }

    /**
     * Gives one permit back.
     *
     * @throws IpcException on failure
     */
    public void release() throws IpcException {
        release(1);
    }

    /**
     * Gives {@code n} permits back, waking waiters this satisfies.
     *
     * @param n the number of permits
     * @throws io.jipc.LimitExceededException if the value would exceed {@code semvmx}
     * @throws IpcException on other failures
     */
    public void release(int n) throws IpcException {
        set.op(op(check(n)));
    }

    /**
     * The permits available now ({@code GETVAL}); may change at once.
     *
     * @return the value
     * @throws IpcException on failure
     */
    public int available() throws IpcException {
        return set.get(index);
    }
}
