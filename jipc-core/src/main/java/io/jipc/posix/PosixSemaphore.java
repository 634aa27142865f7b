package io.jipc.posix;

import io.jipc.Errno;
import io.jipc.InterruptedCallException;
import io.jipc.IpcException;
import io.jipc.internal.Errors;
import io.jipc.internal.linux.Blocking;
import io.jipc.internal.linux.PosixSem;

import java.lang.foreign.MemorySegment;
import java.time.Duration;

/**
 * A POSIX semaphore ({@man sem_overview(7)}): a {@code sem_t} operated on with glibc's own
 * functions, so it is shared with C programs that use {@code sem_wait}/{@code sem_post} on the same
 * memory. Two kinds: a {@link NamedSemaphore} ({@code sem_open}, a file {@code /dev/shm/sem.NAME})
 * and an {@link UnnamedSemaphore} ({@code sem_init(sem, 1, value)} in memory the processes share).
 *
 * <p>The operations use the JDK's names ({@link java.util.concurrent.Semaphore}) for the C calls:
 * {@link #acquire()} is {@code sem_wait}, {@link #tryAcquire()} {@code sem_trywait}, {@link
 * #tryAcquire(Duration)} {@code sem_clockwait} on {@code CLOCK_MONOTONIC} (the wall clock moving
 * does not move the deadline), {@link #release()} {@code sem_post}, {@link #value()} {@code
 * sem_getvalue}.
 *
 * <p><b>Blocking.</b> {@link #acquire()} first tries without waiting (an atomic operation in user
 * space, no system call), then waits on the futex: {@link Thread#interrupt()} ends the wait with
 * {@link InterruptedCallException} (not acquired, interrupt status kept); a signal ({@code EINTR})
 * is retried with the same deadline, so it neither shortens nor lengthens a timed wait; a virtual
 * thread waits without pinning its carrier.
 *
 * <p><b>No undo.</b> Unlike a System V semaphore with {@code SEM_UNDO}, nothing gives back what a
 * process that dies while holding it took: a crashed holder leaves the value low. Where that
 * matters use {@code io.jipc.sysv.SemaphoreLock}, or a lock file with {@code fcntl} locks.
 *
 * <p>Thread-safe. Use after {@link #close()} is an {@link IllegalStateException}.
 */
public abstract sealed class PosixSemaphore implements AutoCloseable
        permits NamedSemaphore, UnnamedSemaphore {
    /** The largest value a POSIX semaphore can hold ({@code SEM_VALUE_MAX}). */
    public static final int MAX_VALUE = PosixSem.SEM_VALUE_MAX;

    PosixSemaphore() {}

    /**
     * Releases this handle (see the subclass for what that means); idempotent. Never throws a
     * checked exception.
     */
    @Override
    public abstract void close();

    /** The {@code sem_t}, checked to be usable. */
    abstract MemorySegment sem();

    /**
     * What the semaphore is, for messages: {@code "/name"} or {@code "sem_t at 0x..."}.
     *
     * @return a short description
     */
    abstract String object();

    /**
     * Takes one unit, waiting while the value is 0 ({@man sem_wait(3)}).
     *
     * @throws InterruptedCallException if the thread was interrupted while waiting (not taken)
     * @throws IpcException if the call fails
     * @throws IllegalStateException if closed
     */
    public void acquire() throws IpcException {
        int r = PosixSem.waitBlocking(sem(), -1);
        check(r, "sem_wait");
    }

    /**
     * Takes one unit unless the value is 0 ({@man sem_trywait(3)}).
     *
     * @return true if taken, false if the value was 0
     * @throws IpcException if the call fails
     * @throws IllegalStateException if closed
     */
    public boolean tryAcquire() throws IpcException {
        int r = PosixSem.sem_trywait(sem());
        if (Errors.is(r, Errno.EAGAIN)) {
            return false;
        }
        check(r, "sem_trywait");
        return true;
    }

    /**
     * Takes one unit, waiting at most {@code timeout} while the value is 0 ({@man sem_clockwait(3)}
     * on {@code CLOCK_MONOTONIC}).
     *
     * @param timeout the longest wait, zero or positive
     * @return true if taken, false if the time ran out
     * @throws InterruptedCallException if the thread was interrupted while waiting (not taken)
     * @throws IpcException if the call fails
     * @throws IllegalStateException if closed
     */
    public boolean tryAcquire(Duration timeout) throws IpcException {
        int r = PosixSem.waitBlocking(sem(), Blocking.timeoutNanos(timeout));
        if (Errors.is(r, Errno.ETIMEDOUT)) {
            return false;
        }
        check(r, "sem_clockwait");
        return true;
    }

    /**
     * Gives one unit back, waking one waiter if any ({@man sem_post(3)}).
     *
     * @throws IpcException with {@code EOVERFLOW} if the value is {@link #MAX_VALUE} already, or if
     *     the call fails
     * @throws IllegalStateException if closed
     */
    public void release() throws IpcException {
        int r = PosixSem.sem_post(sem());
        if (r < 0) {
            throw Errors.failure(
                    r,
                    "sem_post",
                    object(),
                    Errors.is(r, Errno.EOVERFLOW)
                            ? "the value is SEM_VALUE_MAX = " + MAX_VALUE + " already"
                            : null);
        }
    }

    /**
     * The value now ({@man sem_getvalue(3)}); 0 while threads wait (glibc never reports the number
     * of waiters as a negative value). Stale as soon as it is returned.
     *
     * @return the value
     * @throws IpcException if the call fails
     * @throws IllegalStateException if closed
     */
    public int value() throws IpcException {
        int r = PosixSem.sem_getvalue(sem());
        if (r < 0) {
            throw Errors.failure(r, "sem_getvalue", object(), null);
        }
        return r;
    }

    private void check(int r, String call) throws IpcException {
        if (r == 0) {
            return;
        }
        if (Errors.is(r, Errno.EINTR)) {
            throw PosixErrors.interrupted(call, object());
        }
        throw Errors.failure(r, call, object(), null);
    }

    static int value(int initialValue) {
        if (initialValue < 0) {
            throw new IllegalArgumentException(
                    "initialValue=" + initialValue + " (0.." + MAX_VALUE + ")");
        }
        return initialValue;
    }
}
