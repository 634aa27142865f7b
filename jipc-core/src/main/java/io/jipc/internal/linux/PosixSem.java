package io.jipc.internal.linux;

import static io.jipc.internal.linux.Native.C_INT;
import static io.jipc.internal.linux.Native.C_POINTER;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Downcalls for POSIX semaphores (semaphore.h; sem_overview(7)): glibc's own {@code sem_open},
 * {@code sem_close}, {@code sem_unlink}, {@code sem_post}, {@code sem_wait}, {@code sem_trywait},
 * {@code sem_clockwait}, {@code sem_getvalue}, {@code sem_init}, {@code sem_destroy}, so a
 * semaphore is shared with C programs by construction (same {@code sem_t} in the same memory, same
 * futex protocol), and {@code clock_gettime}.
 *
 * <p>Same conventions as {@link Unistd}: the C result on success, the negated errno on failure.
 * Every {@code sem_t *} is passed as a {@link MemorySegment} of {@link #SEM_T_SIZE} bytes, so the
 * FFM API refuses a call on a semaphore whose memory is gone (closed, unmapped) with an {@code
 * IllegalStateException}, and keeps it alive while a call runs.
 *
 * <p>{@code sem_wait} and {@code sem_clockwait} are futex waits; glibc returns {@code EINTR} when a
 * handler installed without {@code SA_RESTART} runs, which is how {@link Blocking} ends them.
 * {@link #waitBlocking} uses {@code sem_clockwait} on {@code CLOCK_MONOTONIC} for timed waits: a
 * change of the wall clock does not move the deadline, and a signal (retried with the same absolute
 * deadline) neither shortens nor lengthens it.
 */
@SuppressWarnings("restricted")
public final class PosixSem {
    private PosixSem() {}

    /** {@code sizeof(sem_t)} on x86_64 (a union of {@code char[32]} and {@code long}). */
    public static final long SEM_T_SIZE = 32;

    /** {@code _Alignof(sem_t)} on x86_64. */
    public static final long SEM_T_ALIGN = 8;

    /** The largest value a semaphore can hold ({@code SEM_VALUE_MAX}). */
    public static final int SEM_VALUE_MAX = Integer.MAX_VALUE;

    /** {@code CLOCK_REALTIME}. */
    public static final int CLOCK_REALTIME = 0;

    /** {@code CLOCK_MONOTONIC}. */
    public static final int CLOCK_MONOTONIC = 1;

    private static final int EINTR = Errnos.EINTR;
    private static final int EAGAIN = Errnos.EAGAIN;
    private static final int ETIMEDOUT = Errnos.ETIMEDOUT;
    private static final long TV_SEC = Structs.offset(Structs.TIMESPEC, "tv_sec");
    private static final long TV_NSEC = Structs.offset(Structs.TIMESPEC, "tv_nsec");

    private static int result(int r, MemorySegment state) {
        return r == 0 ? 0 : -Native.errno(state);
    }

    private static final class sem_open {
        static final MethodHandle H =
                Native.downcallErrno(
                        "sem_open",
                        FunctionDescriptor.of(C_POINTER, C_POINTER, C_INT, C_INT, C_INT),
                        Linker.Option.firstVariadicArg(2));
    }

    /**
     * {@code sem_t *sem_open(const char *name, int oflag, ... mode_t mode, unsigned int value);}
     * (sem_open(3)), variadic. glibc maps {@code /dev/shm/sem.NAME}; opening a name twice in one
     * process returns the same address (closed once per open). Retries EINTR.
     *
     * @param name the name, {@code "/x"}
     * @param oflag 0, {@code O_CREAT}, {@code O_CREAT | O_EXCL}
     * @param mode permissions of a new semaphore (the umask applies)
     * @param value the initial value of a new semaphore
     * @return the address of the {@code sem_t} (positive), or -errno
     */
    public static long sem_open(String name, int oflag, int mode, int value) {
        MemorySegment st = Native.errnoState();
        MemorySegment n = Unistd.cString(name);
        try {
            long r;
            do {
                MemorySegment p = (MemorySegment) sem_open.H.invokeExact(st, n, oflag, mode, value);
                r = p.address() != 0 ? p.address() : -Native.errno(st);
            } while (r == -EINTR);
            return r;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class sem_close {
        static final MethodHandle H =
                Native.downcallErrno("sem_close", FunctionDescriptor.of(C_INT, C_POINTER));
    }

    /**
     * The {@code sem_t} at {@code address} (from {@link #sem_open}) as a segment of {@link
     * #SEM_T_SIZE} bytes whose lifetime is {@code arena}'s: closing the arena calls {@code
     * sem_close(3)}, after which every call with the segment is an {@code IllegalStateException}
     * instead of a fault.
     *
     * @param address an address returned by {@link #sem_open}
     * @param arena the arena that owns it
     * @return the segment
     */
    public static MemorySegment opened(long address, Arena arena) {
        return MemorySegment.ofAddress(address)
                .reinterpret(SEM_T_SIZE, arena, s -> sem_close(s.address()));
    }

    /**
     * {@code int sem_close(sem_t *sem);} (sem_close(3)).
     *
     * @param address an address returned by {@link #sem_open}
     * @return 0, or -errno
     */
    public static int sem_close(long address) {
        MemorySegment st = Native.errnoState();
        try {
            return result((int) sem_close.H.invokeExact(st, MemorySegment.ofAddress(address)), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class sem_unlink {
        static final MethodHandle H =
                Native.downcallErrno("sem_unlink", FunctionDescriptor.of(C_INT, C_POINTER));
    }

    /**
     * {@code int sem_unlink(const char *name);} (sem_unlink(3)).
     *
     * @param name the name, {@code "/x"}
     * @return 0, or -errno
     */
    public static int sem_unlink(String name) {
        MemorySegment st = Native.errnoState();
        try {
            return result((int) sem_unlink.H.invokeExact(st, Unistd.cString(name)), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class sem_post {
        static final MethodHandle H =
                Native.downcallErrno("sem_post", FunctionDescriptor.of(C_INT, C_POINTER));
    }

    /**
     * {@code int sem_post(sem_t *sem);} (sem_post(3)).
     *
     * @param sem the semaphore
     * @return 0, or -errno ({@code -EOVERFLOW} at {@link #SEM_VALUE_MAX})
     */
    public static int sem_post(MemorySegment sem) {
        MemorySegment st = Native.errnoState();
        try {
            return result((int) sem_post.H.invokeExact(st, sem), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class sem_trywait {
        static final MethodHandle H =
                Native.downcallErrno("sem_trywait", FunctionDescriptor.of(C_INT, C_POINTER));
    }

    /**
     * {@code int sem_trywait(sem_t *sem);} (sem_wait(3)). Retries EINTR.
     *
     * @param sem the semaphore
     * @return 0 (decremented), or -errno ({@code -EAGAIN} if the value is 0)
     */
    public static int sem_trywait(MemorySegment sem) {
        MemorySegment st = Native.errnoState();
        try {
            int r;
            do {
                r = result((int) sem_trywait.H.invokeExact(st, sem), st);
            } while (r == -EINTR);
            return r;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class sem_wait {
        static final MethodHandle H =
                Native.downcallErrno("sem_wait", FunctionDescriptor.of(C_INT, C_POINTER));
    }

    private static int waitOnce(MemorySegment sem) {
        return waitOnce(Native.errnoState(), sem);
    }

    private static int waitOnce(MemorySegment st, MemorySegment sem) {
        try {
            return result((int) sem_wait.H.invokeExact(st, sem), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class sem_clockwait {
        static final MethodHandle H =
                Native.downcallErrno(
                        "sem_clockwait", FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_POINTER));
    }

    private static int clockwaitOnce(MemorySegment sem, long monotonicDeadline) {
        return clockwaitOnce(Native.errnoState(), sem, monotonicDeadline);
    }

    private static int clockwaitOnce(MemorySegment st, MemorySegment sem, long monotonicDeadline) {
        MemorySegment ts = Native.timespec();
        Structs.timespec(ts, monotonicDeadline);
        try {
            return result((int) sem_clockwait.H.invokeExact(st, sem, CLOCK_MONOTONIC, ts), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code sem_wait(3)} as a blocking call through {@link Blocking}: first {@code sem_trywait}
     * (the common case: one atomic operation in user space), then, only if the value is 0, the
     * interruptible wait; timed with {@code sem_clockwait(sem, CLOCK_MONOTONIC, deadline)} when
     * {@code timeoutNanos >= 0}.
     *
     * @param sem the semaphore
     * @param timeoutNanos the longest wait, or negative for none
     * @return 0 (decremented), or -errno: {@code -EINTR} if interrupted, {@code -ETIMEDOUT} if the
     *     time ran out (not decremented in either case)
     */
    public static int waitBlocking(MemorySegment sem, long timeoutNanos) {
        if (timeoutNanos != 0 && Blocking.direct()) {
            // glibc's sem_wait tries the value in user space first: no system call unless it waits
            long deadline = timeoutNanos < 0 ? 0 : monotonicNanos() + timeoutNanos;
            Blocking.Wait w = Blocking.enter();
            long r = -EINTR;
            try {
                while (w.mayCall()
                        && (r =
                                        timeoutNanos < 0
                                                ? waitOnce(w.errno, sem)
                                                : clockwaitOnce(w.errno, sem, deadline))
                                == -EINTR) {
                    // another signal: again with the same deadline, unless an interrupt cancelled
                    // the call
                }
            } finally {
                r = w.exit(r);
            }
            return (int) r;
        }
        int r = sem_trywait(sem);
        if (r != -EAGAIN) {
            return r;
        }
        if (timeoutNanos == 0) {
            return -ETIMEDOUT;
        }
        Blocking.Attempt blocking;
        if (timeoutNanos < 0) {
            blocking = () -> waitOnce(sem);
        } else {
            long deadline = monotonicNanos() + timeoutNanos;
            blocking = () -> clockwaitOnce(sem, deadline);
        }
        return (int)
                Blocking.call(blocking, () -> sem_trywait(sem), timeoutNanos, timeoutNanos >= 0);
    }

    private static final class sem_getvalue {
        static final MethodHandle H =
                Native.downcallErrno(
                        "sem_getvalue", FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER));
    }

    /**
     * {@code int sem_getvalue(sem_t *sem, int *sval);} (sem_getvalue(3)): glibc reports 0, never a
     * negative count of waiters, when the value is 0.
     *
     * @param sem the semaphore
     * @return the value (at least 0), or -errno
     */
    public static int sem_getvalue(MemorySegment sem) {
        MemorySegment st = Native.errnoState();
        MemorySegment v = Native.scratch(4);
        try {
            int r = result((int) sem_getvalue.H.invokeExact(st, sem, v), st);
            return r < 0 ? r : v.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class sem_init {
        static final MethodHandle H =
                Native.downcallErrno(
                        "sem_init", FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT));
    }

    /**
     * {@code int sem_init(sem_t *sem, int pshared, unsigned int value);} (sem_init(3)).
     *
     * @param sem {@link #SEM_T_SIZE} bytes, aligned to {@link #SEM_T_ALIGN}
     * @param pshared nonzero to share it between processes (it must then be in shared memory)
     * @param value the initial value
     * @return 0, or -errno
     */
    public static int sem_init(MemorySegment sem, int pshared, int value) {
        MemorySegment st = Native.errnoState();
        try {
            return result((int) sem_init.H.invokeExact(st, sem, pshared, value), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class sem_destroy {
        static final MethodHandle H =
                Native.downcallErrno("sem_destroy", FunctionDescriptor.of(C_INT, C_POINTER));
    }

    /**
     * {@code int sem_destroy(sem_t *sem);} (sem_destroy(3)).
     *
     * @param sem the semaphore
     * @return 0, or -errno
     */
    public static int sem_destroy(MemorySegment sem) {
        MemorySegment st = Native.errnoState();
        try {
            return result((int) sem_destroy.H.invokeExact(st, sem), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class clock_gettime {
        static final MethodHandle H =
                Native.downcall(
                        "clock_gettime",
                        FunctionDescriptor.of(C_INT, C_INT, C_POINTER),
                        Linker.Option.critical(false));
    }

    /**
     * {@code clock_gettime(CLOCK_MONOTONIC, &ts)} (clock_gettime(2), through the vDSO) in
     * nanoseconds: the clock {@code sem_clockwait} deadlines are measured on.
     *
     * @return the monotonic time in nanoseconds
     */
    public static long monotonicNanos() {
        MemorySegment ts = Native.timespec();
        try {
            int r = (int) clock_gettime.H.invokeExact(CLOCK_MONOTONIC, ts);
            if (r != 0) {
                throw new IllegalStateException("clock_gettime(CLOCK_MONOTONIC) failed");
            }
            return ts.get(JAVA_LONG, TV_SEC) * 1_000_000_000L + ts.get(JAVA_LONG, TV_NSEC);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
