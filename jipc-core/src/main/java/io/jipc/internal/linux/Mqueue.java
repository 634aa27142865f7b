package io.jipc.internal.linux;

import static io.jipc.internal.linux.Native.C_INT;
import static io.jipc.internal.linux.Native.C_LONG;
import static io.jipc.internal.linux.Native.C_POINTER;
import static io.jipc.internal.linux.Native.C_SIZE_T;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Downcalls for POSIX message queues (mqueue.h; mq_overview(7)): {@code mq_open}, {@code
 * mq_unlink}, {@code mq_timedsend}, {@code mq_timedreceive}, {@code mq_getattr}, {@code
 * mq_setattr}, the {@code mq_notify} system call with netlink delivery, their structs ({@code
 * struct mq_attr}, {@code struct sigevent}) and constants (x86_64 values, checked against gcc by
 * {@code PosixConstantsTest}).
 *
 * <p>Same conventions as {@link Unistd}: the C result on success, the negated errno on failure. A
 * queue descriptor ({@code mqd_t}) is a file descriptor on Linux: {@code mq_close} is {@code
 * close(2)}, and {@code poll} reports {@code POLLIN} while the queue holds a message and {@code
 * POLLOUT} while it has room.
 *
 * <h2>"Try" forms without O_NONBLOCK</h2>
 *
 * The non-blocking forms ({@link #sendNow}, {@link #receiveNow}) call {@code mq_timedsend} / {@code
 * mq_timedreceive} with the absolute deadline {@code {0, 0}} (long past), which the kernel answers
 * at once with {@code ETIMEDOUT} when it would have to wait: one system call, and nothing changed
 * on the open file description that other threads, or a child that inherited it, share. Toggling
 * {@code O_NONBLOCK} with {@code mq_setattr} around the call costs three system calls (two {@code
 * mq_getsetattr} and the call) and races with the other users of the description. Measured here:
 * 211 ns (past deadline) against 593 ns (setattr, receive, setattr) per failing receive, 1 against
 * 3 system calls under {@code strace -c}.
 *
 * <h2>Blocking forms</h2>
 *
 * {@link #sendBlocking} and {@link #receiveBlocking} wait through {@link Blocking} (ends on {@code
 * Thread.interrupt()}, no pinned virtual-thread carrier): a platform thread makes the blocking call
 * at once (one system call per message, as C does), a virtual thread makes the try form first.
 * Their timed waits are kernel-timed: each attempt passes {@code mq_timed*} an absolute {@code
 * CLOCK_REALTIME} deadline recomputed from the monotonic time left, so a signal ({@code EINTR},
 * retried) neither shortens nor lengthens the wait; a jump of the wall clock during one attempt
 * can.
 */
@SuppressWarnings("restricted")
public final class Mqueue {
    private Mqueue() {}

    /** open: create if missing ({@code O_CREAT}). */
    public static final int O_CREAT = 0x40;

    /** open: with {@code O_CREAT}, fail if it exists ({@code O_EXCL}). */
    public static final int O_EXCL = 0x80;

    /** Priorities are below this ({@code MQ_PRIO_MAX}, sysconf(_SC_MQ_PRIO_MAX) on Linux). */
    public static final int MQ_PRIO_MAX = 32768;

    /** Longest name component ({@code NAME_MAX}), the leading slash excluded. */
    public static final int NAME_MAX = 255;

    /** sigevent: no notification ({@code SIGEV_NONE}). */
    public static final int SIGEV_NONE = 1;

    /**
     * sigevent: a thread; in the raw system call, a message on a netlink socket ({@code
     * SIGEV_THREAD}).
     */
    public static final int SIGEV_THREAD = 2;

    /** Bytes of the cookie the kernel sends to the netlink socket ({@code NOTIFY_COOKIE_LEN}). */
    public static final int NOTIFY_COOKIE_LEN = 32;

    /** Cookie's last byte: a message arrived ({@code NOTIFY_WOKENUP}). */
    public static final int NOTIFY_WOKENUP = 1;

    /** Cookie's last byte: the registration was removed ({@code NOTIFY_REMOVED}). */
    public static final int NOTIFY_REMOVED = 2;

    /** Netlink socket family ({@code AF_NETLINK}). */
    public static final int AF_NETLINK = 16;

    /** Raw socket type ({@code SOCK_RAW}). */
    public static final int SOCK_RAW = 3;

    /** Netlink protocol glibc uses for mq_notify ({@code NETLINK_ROUTE}). */
    public static final int NETLINK_ROUTE = 0;

    /** x86_64 system call number of {@code mq_notify} ({@code SYS_mq_notify}). */
    public static final int SYS_MQ_NOTIFY = 244;

    private static final long MQ_ATTR_BYTES = Structs.MQ_ATTR.byteSize();
    private static final long MQ_FLAGS = Structs.offset(Structs.MQ_ATTR, "mq_flags");
    private static final long MQ_MAXMSG = Structs.offset(Structs.MQ_ATTR, "mq_maxmsg");
    private static final long MQ_MSGSIZE = Structs.offset(Structs.MQ_ATTR, "mq_msgsize");
    private static final long MQ_CURMSGS = Structs.offset(Structs.MQ_ATTR, "mq_curmsgs");
    private static final long SIGEVENT_BYTES = Structs.SIGEVENT.byteSize();
    private static final long SIGEV_VALUE = Structs.offset(Structs.SIGEVENT, "sigev_value");
    private static final long SIGEV_SIGNO = Structs.offset(Structs.SIGEVENT, "sigev_signo");
    private static final long SIGEV_NOTIFY = Structs.offset(Structs.SIGEVENT, "sigev_notify");

    /** Where the registration id is in a cookie (its first 8 bytes; jipc's choice). */
    private static final long COOKIE_ID = 0;

    private static final int EINTR = Errnos.EINTR;
    private static final int EAGAIN = Errnos.EAGAIN;
    private static final int ETIMEDOUT = Errnos.ETIMEDOUT;

    /** The absolute time {0, 0}: long past, so a timed call that would wait fails at once. */
    private static final MemorySegment PAST = Arena.global().allocate(16, 8);

    private static int result(int r, MemorySegment state) {
        return r >= 0 ? r : -Native.errno(state);
    }

    private static long result(long r, MemorySegment state) {
        return r >= 0 ? r : -Native.errno(state);
    }

    private static final class mq_open {
        static final MethodHandle H =
                Native.downcallErrno(
                        "mq_open",
                        FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT, C_POINTER),
                        Linker.Option.firstVariadicArg(2));
    }

    /**
     * {@code mqd_t mq_open(const char *name, int oflag, ... mode_t mode, struct mq_attr *attr);}
     * (mq_open(3)), variadic. Retries EINTR.
     *
     * @param name the name, {@code "/x"}
     * @param oflag {@code O_RDONLY}/{@code O_WRONLY}/{@code O_RDWR}, {@code O_CREAT}, {@code
     *     O_EXCL}, {@code O_CLOEXEC}
     * @param mode permissions of a new queue (the umask applies)
     * @param maxMessages {@code mq_maxmsg} of a new queue, or 0 for the defaults (attr NULL)
     * @param messageSize {@code mq_msgsize} of a new queue, or 0 for the defaults
     * @return the queue descriptor, or -errno
     */
    public static int mq_open(
            String name, int oflag, int mode, long maxMessages, long messageSize) {
        MemorySegment st = Native.errnoState();
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        // one scratch segment for both: the attributes, then the NUL-terminated name
        MemorySegment s = Native.scratch(MQ_ATTR_BYTES + b.length + 1).fill((byte) 0);
        MemorySegment n = s.asSlice(MQ_ATTR_BYTES);
        MemorySegment.copy(b, 0, n, ValueLayout.JAVA_BYTE, 0, b.length);
        MemorySegment attr = MemorySegment.NULL;
        if (maxMessages > 0 || messageSize > 0) {
            attr = s.asSlice(0, MQ_ATTR_BYTES);
            attr.set(JAVA_LONG, MQ_MAXMSG, maxMessages);
            attr.set(JAVA_LONG, MQ_MSGSIZE, messageSize);
        }
        try {
            int r;
            do {
                r = result((int) mq_open.H.invokeExact(st, n, oflag, mode, attr), st);
            } while (r == -EINTR);
            return r;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class mq_unlink {
        static final MethodHandle H =
                Native.downcallErrno("mq_unlink", FunctionDescriptor.of(C_INT, C_POINTER));
    }

    /**
     * {@code int mq_unlink(const char *name);} (mq_unlink(3)).
     *
     * @param name the name, {@code "/x"}
     * @return 0, or -errno
     */
    public static int mq_unlink(String name) {
        MemorySegment st = Native.errnoState();
        try {
            return result((int) mq_unlink.H.invokeExact(st, Unistd.cString(name)), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class mq_getattr {
        static final MethodHandle H =
                Native.downcallErrno("mq_getattr", FunctionDescriptor.of(C_INT, C_INT, C_POINTER));
    }

    /**
     * {@code int mq_getattr(mqd_t mqdes, struct mq_attr *attr);} (mq_getattr(3)).
     *
     * @param mqd the queue descriptor
     * @return {@code {mq_flags, mq_maxmsg, mq_msgsize, mq_curmsgs}}, or {@code {-errno}}
     */
    public static long[] mq_getattr(int mqd) {
        MemorySegment st = Native.errnoState();
        MemorySegment attr = Native.scratch(MQ_ATTR_BYTES);
        try {
            int r = result((int) mq_getattr.H.invokeExact(st, mqd, attr), st);
            if (r < 0) {
                return new long[] {r};
            }
            return new long[] {
                attr.get(JAVA_LONG, MQ_FLAGS),
                attr.get(JAVA_LONG, MQ_MAXMSG),
                attr.get(JAVA_LONG, MQ_MSGSIZE),
                attr.get(JAVA_LONG, MQ_CURMSGS)
            };
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class mq_setattr {
        static final MethodHandle H =
                Native.downcallErrno(
                        "mq_setattr", FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_POINTER));
    }

    /**
     * {@code int mq_setattr(mqd_t mqdes, const struct mq_attr *newattr, struct mq_attr *oldattr);}
     * (mq_setattr(3)): only {@code mq_flags} ({@code O_NONBLOCK}) can change.
     *
     * @param mqd the queue descriptor
     * @param flags the new {@code mq_flags}
     * @return 0, or -errno
     */
    public static int mq_setattr(int mqd, long flags) {
        MemorySegment st = Native.errnoState();
        MemorySegment attr = Native.scratch(MQ_ATTR_BYTES).fill((byte) 0);
        attr.set(JAVA_LONG, MQ_FLAGS, flags);
        try {
            return result((int) mq_setattr.H.invokeExact(st, mqd, attr, MemorySegment.NULL), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class mq_timedsend {
        static final MethodHandle H =
                Native.downcallErrno(
                        "mq_timedsend",
                        FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_SIZE_T, C_INT, C_POINTER));
    }

    private static final class mq_timedreceive {
        static final MethodHandle H =
                Native.downcallErrno(
                        "mq_timedreceive",
                        FunctionDescriptor.of(
                                C_LONG, C_INT, C_POINTER, C_SIZE_T, C_POINTER, C_POINTER));
    }

    private static int sendOnce(int mqd, MemorySegment msg, long len, int prio, MemorySegment abs) {
        return sendOnce(Native.errnoState(), mqd, msg, len, prio, abs);
    }

    private static int sendOnce(
            MemorySegment st, int mqd, MemorySegment msg, long len, int prio, MemorySegment abs) {
        try {
            return result((int) mq_timedsend.H.invokeExact(st, mqd, msg, len, prio, abs), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static long receiveOnce(
            int mqd, MemorySegment buf, long len, MemorySegment prio, MemorySegment abs) {
        return receiveOnce(Native.errnoState(), mqd, buf, len, prio, abs);
    }

    private static long receiveOnce(
            MemorySegment st,
            int mqd,
            MemorySegment buf,
            long len,
            MemorySegment prio,
            MemorySegment abs) {
        try {
            return result((long) mq_timedreceive.H.invokeExact(st, mqd, buf, len, prio, abs), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code mq_timedsend(mqd, msg, len, prio, {0, 0})} (mq_send(3)): sends unless the queue is
     * full. Retries EINTR.
     *
     * @param mqd the queue descriptor
     * @param msg native memory holding the body
     * @param len the body's length
     * @param prio the priority, below {@link #MQ_PRIO_MAX}
     * @return 0, or -errno ({@code -EAGAIN} if the queue is full)
     */
    public static int sendNow(int mqd, MemorySegment msg, long len, int prio) {
        int r;
        do {
            r = sendOnce(mqd, msg, len, prio, PAST);
        } while (r == -EINTR);
        return r == -ETIMEDOUT ? -EAGAIN : r;
    }

    /**
     * {@code mq_timedreceive(mqd, buf, len, prio, {0, 0})} (mq_receive(3)): receives the oldest
     * message of the highest priority unless the queue is empty. Retries EINTR.
     *
     * @param mqd the queue descriptor
     * @param buf native memory of at least the queue's {@code mq_msgsize}
     * @param len {@code buf}'s size
     * @param prio native memory for the received priority ({@code unsigned int}), or NULL
     * @return the body's length, or -errno ({@code -EAGAIN} if the queue is empty)
     */
    public static long receiveNow(int mqd, MemorySegment buf, long len, MemorySegment prio) {
        long r;
        do {
            r = receiveOnce(mqd, buf, len, prio, PAST);
        } while (r == -EINTR);
        return r == -ETIMEDOUT ? -EAGAIN : r;
    }

    /**
     * {@code mq_send(3)} as a blocking call through {@link Blocking}: the interruptible wait, timed
     * by the kernel when {@code timeoutNanos >= 0} (a virtual thread first tries {@link #sendNow}).
     * {@code O_NONBLOCK} belongs to the open description, which another process may share and set:
     * when the kernel then says {@code EAGAIN} this waits in {@code poll(2)} for room and sends
     * again, so a blocking send never returns unsent.
     *
     * @param mqd the queue descriptor
     * @param msg native memory holding the body
     * @param len the body's length
     * @param prio the priority
     * @param timeoutNanos the longest wait, or negative for none
     * @return 0, or -errno: {@code -EINTR} if interrupted, {@code -ETIMEDOUT} if the time ran out
     *     (not sent in either case)
     */
    public static int sendBlocking(
            int mqd, MemorySegment msg, long len, int prio, long timeoutNanos) {
        long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0L;
        int r = sendBlocking0(mqd, msg, len, prio, timeoutNanos);
        // EAGAIN although the caller waits: O_NONBLOCK on the queue's open description (set by
        // another process sharing it, or a dup); the kernel does not wait, so wait here for room
        return r != -EAGAIN || timeoutNanos == 0
                ? r
                : (int)
                        Unistd.untilReady(
                                mqd,
                                Poll.POLLOUT,
                                timeoutNanos,
                                deadline,
                                t -> sendBlocking0(mqd, msg, len, prio, t));
    }

    private static int sendBlocking0(
            int mqd, MemorySegment msg, long len, int prio, long timeoutNanos) {
        if (timeoutNanos != 0 && Blocking.direct()) {
            // A platform thread goes straight to the blocking call: one system call per message,
            // as in C; the loop is here, with the downcall in it, so nothing is allocated.
            long deadline =
                    timeoutNanos < 0
                            ? 0L
                            : System.nanoTime() + timeoutNanos; // no clock read untimed
            Blocking.Wait w = Blocking.enter();
            long r = -EINTR;
            try {
                while (w.mayCall()
                        && (r =
                                        sendOnce(
                                                w.errno,
                                                mqd,
                                                msg,
                                                len,
                                                prio,
                                                timeoutNanos < 0
                                                        ? MemorySegment.NULL
                                                        : realtimeDeadline(deadline)))
                                == -EINTR) {
                    // another signal: again with the same deadline, unless an interrupt cancelled
                    // the call
                }
            } finally {
                r = w.exit(r);
            }
            return (int) r;
        }
        return (int)
                blocking(
                        () -> sendNow(mqd, msg, len, prio),
                        abs -> sendOnce(mqd, msg, len, prio, abs),
                        timeoutNanos);
    }

    /**
     * {@code mq_receive(3)} as a blocking call through {@link Blocking} (see {@link
     * #sendBlocking}).
     *
     * @param mqd the queue descriptor
     * @param buf native memory of at least the queue's {@code mq_msgsize}
     * @param len {@code buf}'s size
     * @param prio native memory for the received priority, or NULL
     * @param timeoutNanos the longest wait, or negative for none
     * @return the body's length, or -errno: {@code -EINTR} if interrupted, {@code -ETIMEDOUT} if
     *     the time ran out (no message taken in either case)
     */
    public static long receiveBlocking(
            int mqd, MemorySegment buf, long len, MemorySegment prio, long timeoutNanos) {
        long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0L;
        long r = receiveBlocking0(mqd, buf, len, prio, timeoutNanos);
        return r != -EAGAIN || timeoutNanos == 0
                ? r
                : Unistd.untilReady(
                        mqd,
                        Poll.POLLIN,
                        timeoutNanos,
                        deadline,
                        t -> receiveBlocking0(mqd, buf, len, prio, t));
    }

    private static long receiveBlocking0(
            int mqd, MemorySegment buf, long len, MemorySegment prio, long timeoutNanos) {
        if (timeoutNanos != 0 && Blocking.direct()) {
            long deadline =
                    timeoutNanos < 0
                            ? 0L
                            : System.nanoTime() + timeoutNanos; // no clock read untimed
            Blocking.Wait w = Blocking.enter();
            long r = -EINTR;
            try {
                while (w.mayCall()
                        && (r =
                                        receiveOnce(
                                                w.errno,
                                                mqd,
                                                buf,
                                                len,
                                                prio,
                                                timeoutNanos < 0
                                                        ? MemorySegment.NULL
                                                        : realtimeDeadline(deadline)))
                                == -EINTR) {
                    // another signal: again with the same deadline, unless an interrupt cancelled
                    // the call
                }
            } finally {
                r = w.exit(r);
            }
            return r;
        }
        return blocking(
                () -> receiveNow(mqd, buf, len, prio),
                abs -> receiveOnce(mqd, buf, len, prio, abs),
                timeoutNanos);
    }

    /** One attempt of mq_timedsend/mq_timedreceive with an absolute deadline (NULL: none). */
    @FunctionalInterface
    private interface Timed {
        long run(MemorySegment absTimeout);
    }

    /**
     * The other paths: the try form alone ({@code timeoutNanos == 0}); a virtual thread (or an
     * interrupted one) tries first, then waits through {@link Blocking#call}, which gives a virtual
     * thread a helper thread and keeps a timeout with the kernel.
     */
    private static long blocking(Blocking.Attempt now, Timed once, long timeoutNanos) {
        long r = now.run();
        if (r != -EAGAIN) {
            return r;
        }
        if (timeoutNanos == 0) {
            return -ETIMEDOUT;
        }
        long deadline = System.nanoTime() + Math.max(0, timeoutNanos);
        Blocking.Attempt wait =
                timeoutNanos < 0
                        ? () -> once.run(MemorySegment.NULL)
                        : () -> once.run(realtimeDeadline(deadline));
        return Blocking.call(wait, now, timeoutNanos, true);
    }

    /**
     * This thread's timespec holding the CLOCK_REALTIME time at which {@code deadline} (nanoTime)
     * falls.
     */
    private static MemorySegment realtimeDeadline(long deadline) {
        long left = Math.max(0, deadline - System.nanoTime());
        Instant at = Instant.now().plusNanos(left);
        MemorySegment ts = Native.timespec();
        Structs.timespec(
                ts, at.getEpochSecond() * 1_000_000_000L + at.getNano()); // fits a long until 2262
        return ts;
    }

    // ---- mq_notify --------------------------------------------------------------------------

    private static final class syscall2 {
        static final MethodHandle H =
                Native.downcallErrno(
                        "syscall",
                        FunctionDescriptor.of(C_LONG, C_LONG, C_LONG, C_POINTER),
                        Linker.Option.firstVariadicArg(1));
    }

    /**
     * The {@code mq_notify} system call (mq_notify(3), the kernel's form under glibc's {@code
     * SIGEV_THREAD}): registers this process for one notification when a message arrives on the
     * empty queue, delivered as a {@link #NOTIFY_COOKIE_LEN}-byte message on the netlink socket
     * {@code netlinkFd}: the {@code cookie} bytes given here, with the last byte set to {@link
     * #NOTIFY_WOKENUP}, or {@link #NOTIFY_REMOVED} when the registration ends without a message
     * (cancelled, or the registering descriptor closed).
     *
     * @param mqd the queue descriptor
     * @param netlinkFd a socket from {@link #netlinkSocket()}, or -1 to cancel the registration
     * @param cookie the first 8 bytes of the cookie (the rest is zero)
     * @return 0, or -errno ({@code -EBUSY}: another process is registered)
     */
    public static int mq_notify(int mqd, int netlinkFd, long cookie) {
        MemorySegment st = Native.errnoState();
        MemorySegment sev = MemorySegment.NULL;
        if (netlinkFd >= 0) {
            sev = Native.scratch(SIGEVENT_BYTES + NOTIFY_COOKIE_LEN).fill((byte) 0);
            MemorySegment c = sev.asSlice(SIGEVENT_BYTES, NOTIFY_COOKIE_LEN);
            c.set(JAVA_LONG, COOKIE_ID, cookie);
            sev.set(JAVA_LONG, SIGEV_VALUE, c.address());
            sev.set(JAVA_INT, SIGEV_SIGNO, netlinkFd);
            sev.set(JAVA_INT, SIGEV_NOTIFY, SIGEV_THREAD);
        }
        MemorySegment arg = sev.equals(MemorySegment.NULL) ? sev : sev.asSlice(0, SIGEVENT_BYTES);
        try {
            long r = (long) syscall2.H.invokeExact(st, (long) SYS_MQ_NOTIFY, (long) mqd, arg);
            return r < 0 ? -Native.errno(st) : 0;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * The registration id of a cookie received on the netlink socket.
     *
     * @param cookie the {@link #NOTIFY_COOKIE_LEN} bytes received
     * @return the id given to {@link #mq_notify}
     */
    public static long cookieId(MemorySegment cookie) {
        return cookie.get(JAVA_LONG, COOKIE_ID);
    }

    /**
     * Whether a cookie says a message arrived ({@link #NOTIFY_WOKENUP} in its last byte).
     *
     * @param cookie the {@link #NOTIFY_COOKIE_LEN} bytes received
     * @return true for a notification, false for a removed registration
     */
    public static boolean cookieWokenUp(MemorySegment cookie) {
        return cookie.get(ValueLayout.JAVA_BYTE, NOTIFY_COOKIE_LEN - 1) == NOTIFY_WOKENUP;
    }

    private static final ThreadLocal<MemorySegment> PRIORITY =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(JAVA_INT));

    /**
     * This thread's cell for the priority {@code mq_receive} stores (an {@code unsigned int}),
     * valid until the same thread asks again.
     *
     * @return the cell
     */
    public static MemorySegment priorityCell() {
        return PRIORITY.get();
    }

    /**
     * The priority {@code mq_receive} stored.
     *
     * @param prio the {@code unsigned int} passed to {@link #receiveNow} or {@link
     *     #receiveBlocking}
     * @return the priority
     */
    public static int priority(MemorySegment prio) {
        return prio.get(JAVA_INT, 0);
    }

    /**
     * A netlink socket to receive {@link #mq_notify} cookies on ({@code socket(AF_NETLINK, SOCK_RAW
     * | SOCK_CLOEXEC, NETLINK_ROUTE)}, what glibc uses): it belongs to no multicast group, so it
     * receives nothing else.
     *
     * @return the descriptor, or -errno
     */
    public static int netlinkSocket() {
        return Sockets.socket(AF_NETLINK, SOCK_RAW | Sockets.SOCK_CLOEXEC, NETLINK_ROUTE);
    }
}
