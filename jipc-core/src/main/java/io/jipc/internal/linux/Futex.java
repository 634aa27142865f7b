package io.jipc.internal.linux;

import static io.jipc.internal.linux.Native.C_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The futex system call (futex(2)) through glibc's {@code syscall()}, which has no wrapper for it:
 * a shared (not {@code FUTEX_PRIVATE_FLAG}) wait on a 32-bit word, so that waiters and wakers may
 * be different processes mapping the same memory, and the wake that pairs with it.
 *
 * <p>{@code syscall} is variadic: every argument after the number is passed as a 64-bit value
 * ({@code firstVariadicArg(1)}). Same conventions as the other wrappers: the C result on success,
 * the negated errno on failure. {@link #waitBitset} does <em>not</em> retry {@code EINTR}: it is
 * one attempt for {@link Blocking#call}, which retries other signals and ends the wait on {@link
 * Thread#interrupt()}.
 */
public final class Futex {
    private Futex() {}

    /** The system call number of futex on x86_64 ({@code SYS_futex}). */
    public static final long SYS_futex = 202;

    /** futex operation: wake up to {@code val} waiters ({@code FUTEX_WAKE}). */
    public static final int FUTEX_WAKE = 1;

    /**
     * futex operation: wait with an absolute {@code CLOCK_MONOTONIC} timeout ({@code
     * FUTEX_WAIT_BITSET}).
     */
    public static final int FUTEX_WAIT_BITSET = 9;

    /** The bitset that matches every waiter ({@code FUTEX_BITSET_MATCH_ANY}). */
    public static final int FUTEX_BITSET_MATCH_ANY = 0xffffffff;

    private static final class syscall6 {
        static final MethodHandle H =
                Native.downcallErrno(
                        "syscall",
                        FunctionDescriptor.of(
                                C_LONG, C_LONG, C_LONG, C_LONG, C_LONG, C_LONG, C_LONG, C_LONG),
                        Linker.Option.firstVariadicArg(1));
    }

    /**
     * {@code syscall(SYS_futex, uaddr, FUTEX_WAIT_BITSET, expected, timeout, NULL,
     * FUTEX_BITSET_MATCH_ANY)}: sleeps while the word at {@code word} holds {@code expected}, until
     * a {@link #wake(MemorySegment, int)} on the same word (in any process), a signal, or the
     * absolute deadline on {@code CLOCK_MONOTONIC} (the clock of {@link System#nanoTime()}).
     *
     * @param word the 32-bit futex word (4-byte aligned), in memory shared with the wakers
     * @param expected the value the word must still hold for the call to sleep
     * @param deadlineNanos the {@code CLOCK_MONOTONIC} time ({@code System.nanoTime()}) to give up
     *     at, or negative for no deadline
     * @return 0 when woken (or spuriously), {@code -EAGAIN} if the word did not hold {@code
     *     expected}, {@code -ETIMEDOUT} at the deadline, {@code -EINTR} on a signal
     */
    public static int waitBitset(MemorySegment word, int expected, long deadlineNanos) {
        MemorySegment st = Native.errnoState();
        MemorySegment ts = MemorySegment.NULL;
        if (deadlineNanos >= 0) {
            ts = Native.timespec();
            ts.set(C_LONG, 0, deadlineNanos / 1_000_000_000L);
            ts.set(C_LONG, 8, deadlineNanos % 1_000_000_000L);
        }
        try {
            long r =
                    (long)
                            syscall6.H.invokeExact(
                                    st,
                                    SYS_futex,
                                    word.address(),
                                    (long) FUTEX_WAIT_BITSET,
                                    (long) expected,
                                    ts.address(),
                                    0L,
                                    (long) FUTEX_BITSET_MATCH_ANY);
            return r >= 0 ? 0 : -Native.errno(st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code syscall(SYS_futex, uaddr, FUTEX_WAKE, count)}: wakes up to {@code count} waiters of
     * the word, in any process.
     *
     * @param word the futex word
     * @param count the most waiters to wake ({@code Integer.MAX_VALUE} for all)
     * @return the number woken, or -errno
     */
    public static int wake(MemorySegment word, int count) {
        MemorySegment st = Native.errnoState();
        try {
            long r =
                    (long)
                            syscall6.H.invokeExact(
                                    st,
                                    SYS_futex,
                                    word.address(),
                                    (long) FUTEX_WAKE,
                                    (long) count,
                                    0L,
                                    0L,
                                    0L);
            return r >= 0 ? (int) r : -Native.errno(st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
