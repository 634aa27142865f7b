package io.jipc.internal.linux;

import static io.jipc.internal.linux.Native.C_INT;
import static io.jipc.internal.linux.Native.C_POINTER;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Downcalls for readiness polling: {@code epoll_create1}, {@code epoll_ctl}, {@code epoll_wait}
 * (sys/epoll.h, epoll(7)) and the {@code eventfd} a poller uses to be woken (sys/eventfd.h,
 * eventfd(2)), with their constants and {@code struct epoll_event}.
 *
 * <p>{@code struct epoll_event} is packed on x86_64 ({@code __EPOLL_PACKED}): {@code uint32_t
 * events} at 0, the 64-bit {@code epoll_data_t} at 4, 12 bytes in all; a test compares this with
 * gcc. Every wrapper returns the C result or the negated errno.
 */
public final class Epoll {
    private Epoll() {}

    /** epoll_create1: close-on-exec ({@code EPOLL_CLOEXEC}). */
    public static final int EPOLL_CLOEXEC = 0x80000;

    /** epoll_ctl: add a descriptor ({@code EPOLL_CTL_ADD}). */
    public static final int EPOLL_CTL_ADD = 1;

    /** epoll_ctl: remove a descriptor ({@code EPOLL_CTL_DEL}). */
    public static final int EPOLL_CTL_DEL = 2;

    /** epoll_ctl: change the events of a descriptor ({@code EPOLL_CTL_MOD}). */
    public static final int EPOLL_CTL_MOD = 3;

    /** Readable, or a connection to accept ({@code EPOLLIN}). */
    public static final int EPOLLIN = 0x001;

    /** Writable ({@code EPOLLOUT}). */
    public static final int EPOLLOUT = 0x004;

    /** An error condition, always reported ({@code EPOLLERR}). */
    public static final int EPOLLERR = 0x008;

    /** Hang-up, always reported ({@code EPOLLHUP}). */
    public static final int EPOLLHUP = 0x010;

    /** The peer shut down writing (stream sockets) ({@code EPOLLRDHUP}). */
    public static final int EPOLLRDHUP = 0x2000;

    /** Edge-triggered ({@code EPOLLET}). */
    public static final int EPOLLET = 1 << 31;

    /** eventfd: close-on-exec ({@code EFD_CLOEXEC}). */
    public static final int EFD_CLOEXEC = 0x80000;

    /** eventfd: non-blocking ({@code EFD_NONBLOCK}). */
    public static final int EFD_NONBLOCK = 0x800;

    /** {@code sizeof(struct epoll_event)}. */
    public static final int EVENT_BYTES = (int) Structs.EPOLL_EVENT.byteSize();

    /** {@code offsetof(struct epoll_event, events)}. */
    public static final int EVENT_EVENTS = (int) Structs.offset(Structs.EPOLL_EVENT, "events");

    /** {@code offsetof(struct epoll_event, data)}. */
    public static final int EVENT_DATA = (int) Structs.offset(Structs.EPOLL_EVENT, "data");

    private static final ValueLayout.OfLong UNALIGNED_LONG = ValueLayout.JAVA_LONG_UNALIGNED;

    private static int result(int r, MemorySegment state) {
        return r >= 0 ? r : -Native.errno(state);
    }

    private static final class epoll_create1 {
        static final MethodHandle H =
                Native.downcallErrno("epoll_create1", FunctionDescriptor.of(C_INT, C_INT));
    }

    /**
     * {@code int epoll_create1(int flags);} (epoll_create1(2)).
     *
     * @param flags {@link #EPOLL_CLOEXEC}
     * @return the epoll descriptor, or -errno
     */
    public static int epoll_create1(int flags) {
        MemorySegment st = Native.errnoState();
        try {
            return result((int) epoll_create1.H.invokeExact(st, flags), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class epoll_ctl {
        static final MethodHandle H =
                Native.downcallErrno(
                        "epoll_ctl", FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT, C_POINTER));
    }

    /**
     * {@code int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event);} (epoll_ctl(2)).
     *
     * @param epfd the epoll descriptor
     * @param op {@link #EPOLL_CTL_ADD}, {@link #EPOLL_CTL_MOD} or {@link #EPOLL_CTL_DEL}
     * @param fd the descriptor watched
     * @param events the event mask ({@link #EPOLLIN}, ..., {@link #EPOLLET})
     * @param data what {@link #epoll_wait} reports with the descriptor's events
     * @return 0, or -errno ({@code -EEXIST}, {@code -ENOENT}, {@code -EPERM} for a regular file)
     */
    public static int epoll_ctl(int epfd, int op, int fd, int events, long data) {
        MemorySegment st = Native.errnoState();
        MemorySegment ev = Native.scratch(EVENT_BYTES);
        ev.set(ValueLayout.JAVA_INT, EVENT_EVENTS, events);
        ev.set(UNALIGNED_LONG, EVENT_DATA, data);
        try {
            return result((int) epoll_ctl.H.invokeExact(st, epfd, op, fd, ev), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class epoll_wait {
        static final MethodHandle H =
                Native.downcallErrno(
                        "epoll_wait", FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT, C_INT));
    }

    /**
     * {@code int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout);}
     * (epoll_wait(2)), once: EINTR is returned, not retried.
     *
     * @param epfd the epoll descriptor
     * @param events native memory for {@code max} events ({@link #EVENT_BYTES} each)
     * @param max the most events to return
     * @param timeoutMillis the longest wait in milliseconds, 0 for none, -1 for ever
     * @return the number of events (0 if the time ran out), or -errno
     */
    public static int epoll_wait(int epfd, MemorySegment events, int max, int timeoutMillis) {
        MemorySegment st = Native.errnoState();
        try {
            return result((int) epoll_wait.H.invokeExact(st, epfd, events, max, timeoutMillis), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@link #epoll_wait} as a blocking call through {@link Blocking}: it first looks without
     * waiting (the common case: one system call), then waits, ending on {@link Thread#interrupt()}
     * ({@code -EINTR}) and not pinning a virtual thread's carrier. The timeout is kept against a
     * deadline, so signals neither shorten nor lengthen it; it is rounded up to whole milliseconds.
     *
     * @param epfd the epoll descriptor
     * @param events native memory for {@code max} events, reachable from any thread
     * @param max the most events to return
     * @param timeoutNanos the longest wait, 0 for none, negative for ever
     * @return the number of events (0 if the time ran out), or -errno ({@code -EINTR} if
     *     interrupted)
     */
    public static int epollWaitBlocking(
            int epfd, MemorySegment events, int max, long timeoutNanos) {
        return new Waiter(epfd, events, max).await(timeoutNanos);
    }

    /**
     * {@link #epollWaitBlocking} for one epoll set and one events buffer, made once and used for
     * every wait, so that a wait allocates nothing of its own (its two attempts are fields). One
     * thread waits with it at a time.
     */
    public static final class Waiter {
        private final int epfd;
        private final MemorySegment events;
        private final int max;
        private final Blocking.Attempt once = this::once;
        private final Blocking.Attempt now = this::now;

        /**
         * Of the wait in progress; handed to a helper thread by {@link Blocking#call} (a
         * happens-before edge).
         */
        private boolean timed;

        private long deadline;

        /**
         * A waiter.
         *
         * @param epfd the epoll descriptor
         * @param events native memory for {@code max} events, reachable from any thread
         * @param max the most events to return
         */
        public Waiter(int epfd, MemorySegment events, int max) {
            this.epfd = epfd;
            this.events = events;
            this.max = max;
        }

        /**
         * Waits as {@link #epollWaitBlocking} does.
         *
         * @param timeoutNanos the longest wait, 0 for none, negative for ever
         * @return the number of events (0 if the time ran out), or -errno ({@code -EINTR} if
         *     interrupted)
         */
        public int await(long timeoutNanos) {
            int first = epollWaitNow(epfd, events, max);
            if (first != 0 || timeoutNanos == 0) {
                return first;
            }
            timed = timeoutNanos > 0;
            deadline = System.nanoTime() + (timed ? timeoutNanos : 0);
            long r =
                    Blocking.call(
                            once,
                            Thread.currentThread().isVirtual() ? now : null,
                            timed ? timeoutNanos : -1,
                            true);
            return r == -Errnos.ETIMEDOUT ? 0 : (int) r;
        }

        private long once() {
            int millis = -1;
            if (timed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return -Errnos.ETIMEDOUT;
                }
                millis = (int) Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000);
            }
            int r = epoll_wait(epfd, events, max, millis);
            return r == 0 && timed ? -Errnos.ETIMEDOUT : r;
        }

        private long now() {
            int r = epollWaitNow(epfd, events, max);
            return r == 0 ? -Errnos.EAGAIN : r;
        }
    }

    private static int epollWaitNow(int epfd, MemorySegment events, int max) {
        int r;
        do {
            r = epoll_wait(epfd, events, max, 0);
        } while (r == -Errnos.EINTR);
        return r;
    }

    /**
     * The events of entry {@code i} of an {@link #epoll_wait} result.
     *
     * @param events the result buffer
     * @param i the entry
     * @return its {@code events} mask
     */
    public static int eventMask(MemorySegment events, int i) {
        return events.get(ValueLayout.JAVA_INT, (long) i * EVENT_BYTES + EVENT_EVENTS);
    }

    /**
     * The data of entry {@code i} of an {@link #epoll_wait} result.
     *
     * @param events the result buffer
     * @param i the entry
     * @return its {@code data.u64}
     */
    public static long eventData(MemorySegment events, int i) {
        return events.get(UNALIGNED_LONG, (long) i * EVENT_BYTES + EVENT_DATA);
    }

    private static final class eventfd {
        static final MethodHandle H =
                Native.downcallErrno("eventfd", FunctionDescriptor.of(C_INT, C_INT, C_INT));
    }

    /**
     * {@code int eventfd(unsigned int initval, int flags);} (eventfd(2)).
     *
     * @param initial the counter's initial value
     * @param flags {@link #EFD_CLOEXEC}, {@link #EFD_NONBLOCK}
     * @return the descriptor, or -errno
     */
    public static int eventfd(int initial, int flags) {
        MemorySegment st = Native.errnoState();
        try {
            return result((int) eventfd.H.invokeExact(st, initial, flags), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * Adds {@code n} to an eventfd's counter: {@code write(fd, &n, 8)} (eventfd(2)).
     *
     * @param fd the eventfd
     * @param n the amount
     * @return 8, or -errno ({@code -EAGAIN} if the counter would overflow and the fd is
     *     non-blocking)
     */
    public static long eventfdAdd(int fd, long n) {
        MemorySegment v = Native.scratch(8);
        v.set(ValueLayout.JAVA_LONG, 0, n);
        return Unistd.write(fd, v, 8);
    }

    /**
     * Takes an eventfd's counter: {@code read(fd, &n, 8)} (eventfd(2)).
     *
     * @param fd the eventfd, non-blocking
     * @return the counter (then reset to 0), or -errno ({@code -EAGAIN} if it was 0)
     */
    public static long eventfdTake(int fd) {
        MemorySegment v = Native.scratch(8);
        long r = Unistd.read(fd, v, 8);
        return r < 0 ? r : v.get(ValueLayout.JAVA_LONG, 0);
    }
}
