package io.jipc.internal.linux;

import static io.jipc.internal.linux.Errnos.EAGAIN;
import static io.jipc.internal.linux.Errnos.EINTR;
import static io.jipc.internal.linux.Errnos.EOPNOTSUPP;
import static io.jipc.internal.linux.Errnos.ETIMEDOUT;
import static io.jipc.internal.linux.Native.C_INT;
import static io.jipc.internal.linux.Native.C_LONG;
import static io.jipc.internal.linux.Native.C_POINTER;
import static io.jipc.internal.linux.Native.C_SIZE_T;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Downcalls for file descriptors: {@code pipe2}, {@code read}, {@code write}, {@code close}, {@code
 * fcntl}, {@code open}, {@code mkfifo} (unistd.h, fcntl.h, sys/stat.h) and the constants they take.
 *
 * <p>Every wrapper returns the C result on success and the <em>negated errno</em> on failure (see
 * {@link Native}). {@code read}, {@code write} and {@code open} can block (a FIFO's open waits for
 * its peer): they retry {@code EINTR} and must be given native memory. None is linked {@code
 * critical}, not even for a descriptor believed non-blocking: {@code O_NONBLOCK} belongs to the
 * open file description, which other processes share and may clear, so a read believed non-blocking
 * may block (see {@link Native}). {@link #readNoWait} and {@link #writeNoWait} never wait, whatever
 * the description's mode.
 */
public final class Unistd {
    private Unistd() {}

    /** open: read only ({@code O_RDONLY}). */
    public static final int O_RDONLY = 0;

    /** open: write only ({@code O_WRONLY}). */
    public static final int O_WRONLY = 1;

    /** open: read and write ({@code O_RDWR}). */
    public static final int O_RDWR = 2;

    /** The access mode bits of the file status flags ({@code O_ACCMODE}). */
    public static final int O_ACCMODE = 3;

    /** Non-blocking mode ({@code O_NONBLOCK}). */
    public static final int O_NONBLOCK = 0x800;

    /** Close on exec ({@code O_CLOEXEC}). */
    public static final int O_CLOEXEC = 0x80000;

    /** fcntl: descriptor flags ({@code F_GETFD}). */
    public static final int F_GETFD = 1;

    /** fcntl: set descriptor flags ({@code F_SETFD}). */
    public static final int F_SETFD = 2;

    /** fcntl: file status flags ({@code F_GETFL}). */
    public static final int F_GETFL = 3;

    /** fcntl: set file status flags ({@code F_SETFL}). */
    public static final int F_SETFL = 4;

    /** fcntl: set a pipe's capacity ({@code F_SETPIPE_SZ}). */
    public static final int F_SETPIPE_SZ = 1031;

    /** fcntl: a pipe's capacity ({@code F_GETPIPE_SZ}). */
    public static final int F_GETPIPE_SZ = 1032;

    /** The descriptor flag close-on-exec ({@code FD_CLOEXEC}). */
    public static final int FD_CLOEXEC = 1;

    /** Writes of at most this many bytes to a pipe are atomic ({@code PIPE_BUF}, pipe(7)). */
    public static final int PIPE_BUF = 4096;

    private static int result(int r, MemorySegment state) {
        return r >= 0 ? r : -Native.errno(state);
    }

    private static long result(long r, MemorySegment state) {
        return r >= 0 ? r : -Native.errno(state);
    }

    private static final class pipe2 {
        static final MethodHandle H =
                Native.downcallErrno("pipe2", FunctionDescriptor.of(C_INT, C_POINTER, C_INT));
    }

    /**
     * {@code int pipe2(int pipefd[2], int flags);} (pipe(2)).
     *
     * @param flags {@code O_CLOEXEC}, {@code O_NONBLOCK}
     * @return {@code {read end, write end}}, or {@code {-errno, -1}}
     */
    public static int[] pipe2(int flags) {
        MemorySegment st = Native.errnoState();
        MemorySegment fds = Native.scratch(8);
        try {
            int r = result((int) pipe2.H.invokeExact(st, fds, flags), st);
            if (r < 0) {
                return new int[] {r, -1};
            }
            return new int[] {fds.get(ValueLayout.JAVA_INT, 0), fds.get(ValueLayout.JAVA_INT, 4)};
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class read {
        static final MethodHandle H =
                Native.downcallErrno(
                        "read", FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_SIZE_T));
    }

    /**
     * {@code ssize_t read(int fd, void *buf, size_t count);} (read(2)). Blocks as the descriptor
     * says; retries EINTR.
     *
     * @param fd the descriptor
     * @param buf native memory
     * @param count the most bytes to read
     * @return the bytes read (0 at end of file), or -errno
     */
    public static long read(int fd, MemorySegment buf, long count) {
        MemorySegment st = Native.errnoState();
        try {
            long r;
            do {
                r = result((long) read.H.invokeExact(st, fd, buf, count), st);
            } while (r == -EINTR);
            return r;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * What the kernel supports for one kind of file, or one descriptor: {@code RWF_NOWAIT} in
     * {@code preadv2} and in {@code pwritev2} (pipes since Linux 5.8; an eventfd reads with it, on
     * recent kernels, but does not write with it; a terminal neither). Learned per kind (or per
     * descriptor, {@link #of}) and per direction, from the first {@code EOPNOTSUPP}: one answer
     * never changes how another kind, another descriptor or the other direction is read or written.
     */
    public static final class Kind {
        private final String name;
        private volatile boolean readNoWait = true;
        private volatile boolean writeNoWait = true;

        private Kind(String name) {
            this.name = name;
        }

        /**
         * A capability of its own, e.g. for one descriptor that may be a pipe, a FIFO, a terminal
         * or a file (a pipe end adopted from an inherited descriptor).
         *
         * @param name what it is, for messages
         * @return a new kind that believes both forms supported until told otherwise
         */
        public static Kind of(String name) {
            return new Kind(name);
        }

        /**
         * Whether {@code preadv2} with {@code RWF_NOWAIT} is (still believed to be) supported.
         *
         * @return false once the kernel answered {@code EOPNOTSUPP}
         */
        public boolean readsNoWait() {
            return readNoWait;
        }

        /**
         * Whether {@code pwritev2} with {@code RWF_NOWAIT} is (still believed to be) supported.
         *
         * @return false once the kernel answered {@code EOPNOTSUPP}
         */
        public boolean writesNoWait() {
            return writeNoWait;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** eventfd(2) descriptors. */
    public static final Kind EVENTFD = new Kind("eventfd");

    /**
     * How long a read or write that {@code poll} said would not block may block after all (another
     * reader or writer, in this process or another one sharing the descriptor, came first; an
     * eventfd had room for less than was added) before it is cancelled and reported as {@code
     * -EAGAIN}: 100 ms. Generous, because the timer runs from before the call: a thread held up
     * that long between {@code poll} and the call (a long pause of the JVM) is told "would block"
     * although it might not have.
     */
    static final long AFTER_POLL_GUARD_NANOS = 100_000_000L;

    /**
     * {@code read(2)} of a descriptor in blocking mode as a blocking call through {@link Blocking}:
     * ends on {@link Thread#interrupt()} ({@code -EINTR}, nothing read) or at the timeout ({@code
     * -ETIMEDOUT}), and does not pin a virtual thread's carrier. Untimed on a platform thread it is
     * one read(2), as C makes it; otherwise it first reads with {@code RWF_NOWAIT} (no helper
     * thread, no timer in the common case) and enters the blocking mechanism only if that would
     * block. Other signals are retried.
     *
     * <p>{@code O_NONBLOCK} belongs to the open file description, which other processes and
     * duplicates share and may set at any time: when the read says {@code EAGAIN} although the
     * caller wants to wait, it waits in {@link Poll#poll} (through {@link Blocking}) for the
     * descriptor to be readable and reads again, until the timeout.
     *
     * @param kind what the descriptor is
     * @param fd the descriptor, in blocking mode
     * @param buf native memory
     * @param count the most bytes to read
     * @param timeoutNanos the longest wait, or negative for none
     * @return the bytes read (0 at end of file), or -errno
     */
    public static long readBlocking(
            Kind kind, int fd, MemorySegment buf, long count, long timeoutNanos) {
        long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0L;
        long r = readBlocking0(kind, fd, buf, count, timeoutNanos);
        return r != -EAGAIN || timeoutNanos == 0
                ? r
                : untilReady(
                        fd,
                        Poll.POLLIN,
                        timeoutNanos,
                        deadline,
                        t -> readBlocking0(kind, fd, buf, count, t));
    }

    /**
     * {@link #readBlocking(Kind, int, MemorySegment, long, long)} into the remaining bytes of a
     * direct buffer (its position is not moved). The buffer's segment is made here, next to the
     * downcall, and on the direct path of a platform thread it goes nowhere else, so the JIT
     * allocates none: made by the caller and passed down, it escaped into a call the JIT did not
     * inline (one 40-byte object per read).
     *
     * @param kind what the descriptor is
     * @param fd the descriptor, in blocking mode
     * @param dst a direct buffer
     * @param timeoutNanos the longest wait, or negative for none
     * @return the bytes read (0 at end of file), or -errno
     */
    public static long readBlocking(Kind kind, int fd, java.nio.ByteBuffer dst, long timeoutNanos) {
        if (timeoutNanos < 0 && Blocking.direct()) {
            MemorySegment buf = MemorySegment.ofBuffer(dst);
            Blocking.Wait w = Blocking.enter();
            long r = -EINTR;
            try {
                while (w.mayCall() && (r = readOnce(w.errno, fd, buf, buf.byteSize())) == -EINTR) {
                    // another signal: again, unless an interrupt cancelled the call
                }
            } finally {
                r = w.exit(r);
            }
            if (r != -EAGAIN) {
                return r;
            }
            return untilReady(
                    fd, Poll.POLLIN, -1, 0L, t -> readBlocking0(kind, fd, segment(dst), t));
        }
        MemorySegment buf = MemorySegment.ofBuffer(dst);
        return readBlocking(kind, fd, buf, buf.byteSize(), timeoutNanos);
    }

    /**
     * {@link #writeBlocking(Kind, int, MemorySegment, long, long)} of the remaining bytes of a
     * direct buffer (its position is not moved), untimed; the segment made here, as in {@link
     * #readBlocking(Kind, int, java.nio.ByteBuffer, long)}.
     *
     * @param kind what the descriptor is
     * @param fd the descriptor, in blocking mode
     * @param src a direct buffer
     * @return the bytes written, or -errno ({@code -EINTR}: nothing written)
     */
    public static long writeBlocking(Kind kind, int fd, java.nio.ByteBuffer src) {
        if (Blocking.direct()) {
            MemorySegment buf = MemorySegment.ofBuffer(src);
            Blocking.Wait w = Blocking.enter();
            long r = -EINTR;
            try {
                while (w.mayCall() && (r = writeOnce(w.errno, fd, buf, buf.byteSize())) == -EINTR) {
                    // another signal: again, unless an interrupt cancelled the call
                }
            } finally {
                r = w.exit(r);
            }
            if (r != -EAGAIN) {
                return r;
            }
            return untilReady(
                    fd, Poll.POLLOUT, -1, 0L, t -> writeBlocking0(kind, fd, segment(src), t));
        }
        MemorySegment buf = MemorySegment.ofBuffer(src);
        return writeBlocking(kind, fd, buf, buf.byteSize(), -1);
    }

    private static long readBlocking0(Kind kind, int fd, MemorySegment buf, long timeoutNanos) {
        return readBlocking0(kind, fd, buf, buf.byteSize(), timeoutNanos);
    }

    private static long writeBlocking0(Kind kind, int fd, MemorySegment buf, long timeoutNanos) {
        return writeBlocking0(kind, fd, buf, buf.byteSize(), timeoutNanos);
    }

    /**
     * A direct buffer's remaining bytes, for the slow paths (another segment: this one escapes).
     */
    private static MemorySegment segment(java.nio.ByteBuffer b) {
        return MemorySegment.ofBuffer(b);
    }

    /** A blocking call given the time it may take (negative: no limit; 0: do not wait). */
    @FunctionalInterface
    public interface Timed {
        /**
         * Makes the call once.
         *
         * @param timeoutNanos the longest wait, or negative for none
         * @return the result, or -errno
         */
        long run(long timeoutNanos);
    }

    /**
     * What a blocking call does when the kernel said {@code EAGAIN} although the caller waits: the
     * descriptor's open file description is in non-blocking mode (another process sharing it, or a
     * duplicate, set {@code O_NONBLOCK}). Waits in {@code poll(2)} for {@code events} through
     * {@link Blocking} and calls again, until the call does not say {@code EAGAIN} or the deadline
     * passes.
     *
     * @param fd the descriptor
     * @param events {@link Poll#POLLIN} or {@link Poll#POLLOUT}
     * @param timeoutNanos the caller's timeout, negative for none, not 0
     * @param deadline the {@link System#nanoTime()} at which a timed call ends
     * @param call the call
     * @return the call's result, or -errno ({@code -EINTR}, {@code -ETIMEDOUT})
     */
    public static long untilReady(
            int fd, short events, long timeoutNanos, long deadline, Timed call) {
        long r = -EAGAIN;
        while (r == -EAGAIN) {
            long left = timeoutNanos < 0 ? -1 : Math.max(0, deadline - System.nanoTime());
            if (left == 0) {
                return -ETIMEDOUT;
            }
            long p = awaitReady(fd, events, left);
            if (p < 0) {
                return p;
            }
            r = call.run(timeoutNanos < 0 ? -1 : Math.max(0, deadline - System.nanoTime()));
        }
        return r;
    }

    /**
     * Waits until {@code poll(2)} reports one of {@code events} (or an error condition) on the
     * descriptor, through {@link Blocking}: interruptible, timed, no pinned carrier.
     *
     * @param fd the descriptor
     * @param events {@link Poll#POLLIN} or {@link Poll#POLLOUT}
     * @param timeoutNanos the longest wait, or negative for none
     * @return the returned events, or -errno ({@code -EINTR}, {@code -ETIMEDOUT})
     */
    public static long awaitReady(int fd, short events, long timeoutNanos) {
        return Blocking.call(
                () -> Poll.poll(fd, events, -1),
                () -> {
                    int p = Signals.pollNow(fd, events);
                    return p == 0 ? -EAGAIN : p;
                },
                timeoutNanos,
                false);
    }

    private static long readBlocking0(
            Kind kind, int fd, MemorySegment buf, long count, long timeoutNanos) {
        if (timeoutNanos < 0 && Blocking.direct()) {
            Blocking.Wait w = Blocking.enter();
            long r = -EINTR;
            try {
                while (w.mayCall() && (r = readOnce(w.errno, fd, buf, count)) == -EINTR) {
                    // another signal: again, unless an interrupt cancelled the call
                }
            } finally {
                r = w.exit(r);
            }
            return r;
        }
        boolean virtual = Thread.currentThread().isVirtual();
        if (virtual || kind.readNoWait) { // the common case: one call that does not wait
            long r = readNoWait(kind, fd, buf, count);
            if (r != -EAGAIN || timeoutNanos == 0) {
                return r;
            }
        }
        return Blocking.call(
                () -> readOnce(Native.errnoState(), fd, buf, count),
                virtual ? () -> readNoWait(kind, fd, buf, count) : null,
                timeoutNanos,
                false);
    }

    private static long readOnce(MemorySegment st, int fd, MemorySegment buf, long count) {
        try {
            return result((long) read.H.invokeExact(st, fd, buf, count), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code write(2)} of a descriptor in blocking mode as a blocking call through {@link Blocking}
     * (see {@link #readBlocking}): untimed on a platform thread one write(2); a virtual thread
     * first writes with {@code RWF_NOWAIT} (all of at most {@link #PIPE_BUF} bytes or nothing; of
     * more, what fits). When the write says {@code EAGAIN} (another process set {@code O_NONBLOCK}
     * on the shared description), it waits in {@code poll} for room and writes again, until the
     * timeout.
     *
     * @param kind what the descriptor is
     * @param fd the descriptor, in blocking mode
     * @param buf native memory
     * @param count the bytes to write
     * @param timeoutNanos the longest wait, or negative for none
     * @return the bytes written, or -errno ({@code -EINTR}, {@code -ETIMEDOUT}: nothing written)
     */
    public static long writeBlocking(
            Kind kind, int fd, MemorySegment buf, long count, long timeoutNanos) {
        long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0L;
        long r = writeBlocking0(kind, fd, buf, count, timeoutNanos);
        return r != -EAGAIN || timeoutNanos == 0
                ? r
                : untilReady(
                        fd,
                        Poll.POLLOUT,
                        timeoutNanos,
                        deadline,
                        t -> writeBlocking0(kind, fd, buf, count, t));
    }

    private static long writeBlocking0(
            Kind kind, int fd, MemorySegment buf, long count, long timeoutNanos) {
        if (timeoutNanos < 0 && Blocking.direct()) {
            Blocking.Wait w = Blocking.enter();
            long r = -EINTR;
            try {
                while (w.mayCall() && (r = writeOnce(w.errno, fd, buf, count)) == -EINTR) {
                    // another signal: again, unless an interrupt cancelled the call
                }
            } finally {
                r = w.exit(r);
            }
            return r;
        }
        boolean virtual = Thread.currentThread().isVirtual();
        if (virtual || kind.writeNoWait) { // the common case: one call that does not wait
            long r = writeNoWait(kind, fd, buf, count);
            if (r != -EAGAIN || timeoutNanos == 0) {
                return r;
            }
        }
        return Blocking.call(
                () -> writeOnce(Native.errnoState(), fd, buf, count),
                virtual ? () -> writeNoWait(kind, fd, buf, count) : null,
                timeoutNanos,
                false);
    }

    private static long writeOnce(MemorySegment st, int fd, MemorySegment buf, long count) {
        try {
            return result((long) write.H.invokeExact(st, fd, buf, count), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** preadv2/pwritev2: do not wait ({@code RWF_NOWAIT}). */
    private static final int RWF_NOWAIT = 0x8;

    private static final class preadv2 {
        static final MethodHandle H =
                Native.downcallErrno(
                        "preadv2",
                        FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_INT, C_LONG, C_INT));
    }

    private static final class pwritev2 {
        static final MethodHandle H =
                Native.downcallErrno(
                        "pwritev2",
                        FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_INT, C_LONG, C_INT));
    }

    /**
     * One read that does not wait, whatever the descriptor's {@code O_NONBLOCK}: {@code preadv2(fd,
     * iov, 1, -1, RWF_NOWAIT)} (preadv2(2)), or, for a kind of file the kernel reads without {@code
     * RWF_NOWAIT}, {@code poll} then a read bounded by {@link #AFTER_POLL_GUARD_NANOS}: the
     * descriptor may be shared (another thread, another process may take what {@code poll} saw, and
     * the description may be in blocking mode), so the read is cancelled if it would wait and
     * reported as {@code -EAGAIN}, nothing read.
     *
     * @param kind what the descriptor is
     * @param fd the descriptor
     * @param buf native memory
     * @param count the most bytes to read
     * @return the bytes read (0 at end of file), or -errno ({@code -EAGAIN} if it would block;
     *     {@code -EINTR} if the thread was interrupted while the fallback's read waited)
     */
    public static long readNoWait(Kind kind, int fd, MemorySegment buf, long count) {
        if (kind.readNoWait) {
            long r = vector(preadv2.H, fd, buf, count);
            if (r != -EOPNOTSUPP) {
                return r;
            }
            kind.readNoWait = false;
        }
        if (Signals.pollNow(fd, Poll.POLLIN) == 0) {
            return -EAGAIN;
        }
        Objects.requireNonNull(read.H); // linked before the guard's timer starts
        return guarded(() -> readOnce(Native.errnoState(), fd, buf, count));
    }

    /**
     * One write that does not wait, whatever the descriptor's {@code O_NONBLOCK}: {@code
     * pwritev2(fd, iov, 1, -1, RWF_NOWAIT)} (pwritev2(2)), or {@code poll} then a write of at most
     * {@link #PIPE_BUF} bytes bounded as in {@link #readNoWait}.
     *
     * @param kind what the descriptor is
     * @param fd the descriptor
     * @param buf native memory
     * @param count the bytes to write
     * @return the bytes written, or -errno ({@code -EAGAIN} if it would block)
     */
    public static long writeNoWait(Kind kind, int fd, MemorySegment buf, long count) {
        if (kind.writeNoWait) {
            long r = vector(pwritev2.H, fd, buf, count);
            if (r != -EOPNOTSUPP) {
                return r;
            }
            kind.writeNoWait = false;
        }
        if (count > PIPE_BUF || Signals.pollNow(fd, Poll.POLLOUT) == 0) {
            return -EAGAIN;
        }
        Objects.requireNonNull(write.H); // linked before the guard's timer starts
        return guarded(() -> writeOnce(Native.errnoState(), fd, buf, count));
    }

    /**
     * A call {@code poll} said would not wait, cancelled if it waits after all. An interrupted
     * thread still makes it (a try form does what needs no wait, as everywhere in jipc): its
     * interrupt status is set aside for the call and restored after it.
     */
    private static long guarded(Blocking.Attempt call) {
        boolean interrupted = Thread.interrupted();
        try {
            long r = Blocking.call(call, null, AFTER_POLL_GUARD_NANOS, false);
            return r == -ETIMEDOUT || r == -EAGAIN ? -EAGAIN : r;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static final long IOV_BASE = Structs.offset(Structs.IOVEC, "iov_base");
    private static final long IOV_LEN = Structs.offset(Structs.IOVEC, "iov_len");

    private static long vector(MethodHandle h, int fd, MemorySegment buf, long count) {
        MemorySegment st = Native.errnoState();
        MemorySegment iov = Native.iovec();
        iov.set(ValueLayout.ADDRESS, IOV_BASE, buf);
        iov.set(ValueLayout.JAVA_LONG, IOV_LEN, count);
        try {
            long r;
            do {
                r = result((long) h.invokeExact(st, fd, iov, 1, -1L, RWF_NOWAIT), st);
            } while (r == -EINTR);
            return r;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class write {
        static final MethodHandle H =
                Native.downcallErrno(
                        "write", FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_SIZE_T));
    }

    /**
     * {@code ssize_t write(int fd, const void *buf, size_t count);} (write(2)). Blocks as the
     * descriptor says; retries EINTR. HotSpot ignores SIGPIPE, so a pipe without reader gives
     * {@code -EPIPE}.
     *
     * @param fd the descriptor
     * @param buf native memory
     * @param count the bytes to write
     * @return the bytes written, or -errno
     */
    public static long write(int fd, MemorySegment buf, long count) {
        MemorySegment st = Native.errnoState();
        try {
            long r;
            do {
                r = result((long) write.H.invokeExact(st, fd, buf, count), st);
            } while (r == -EINTR);
            return r;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class close {
        static final MethodHandle H =
                Native.downcallErrno("close", FunctionDescriptor.of(C_INT, C_INT));
    }

    /**
     * {@code int close(int fd);} (close(2)). Not retried on EINTR: on Linux the descriptor is
     * released even then, and a retry could close a descriptor another thread just opened.
     *
     * @param fd the descriptor
     * @return 0, or -errno
     */
    public static int close(int fd) {
        MemorySegment st = Native.errnoState();
        try {
            return result((int) close.H.invokeExact(st, fd), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class fcntl {
        static final MethodHandle H =
                Native.downcallErrno(
                        "fcntl",
                        FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT),
                        Linker.Option.firstVariadicArg(2));
    }

    /**
     * {@code int fcntl(int fd, int cmd, ... int arg);} (fcntl(2)), variadic, with an int argument
     * (0 for the commands that take none).
     *
     * @param fd the descriptor
     * @param cmd {@code F_GETFL}, {@code F_SETFL}, {@code F_GETFD}, {@code F_SETFD}, {@code
     *     F_GETPIPE_SZ}, {@code F_SETPIPE_SZ}
     * @param arg the argument
     * @return the command's result, or -errno
     */
    public static int fcntl(int fd, int cmd, int arg) {
        MemorySegment st = Native.errnoState();
        try {
            return result((int) fcntl.H.invokeExact(st, fd, cmd, arg), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class open {
        static final MethodHandle H =
                Native.downcallErrno(
                        "open",
                        FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT),
                        Linker.Option.firstVariadicArg(2));
    }

    /**
     * {@code int open(const char *pathname, int flags, ... mode_t mode);} (open(2)), variadic.
     * Opening a FIFO blocks until the other end is opened, unless {@code O_NONBLOCK}; retries
     * EINTR.
     *
     * @param path the path
     * @param flags access mode and flags
     * @param mode permissions when creating
     * @return the descriptor, or -errno
     */
    public static int open(String path, int flags, int mode) {
        MemorySegment st = Native.errnoState();
        MemorySegment p = cString(path);
        try {
            int r;
            do {
                r = result((int) open.H.invokeExact(st, p, flags, mode), st);
            } while (r == -EINTR);
            return r;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code open(2)} of a FIFO without {@code O_NONBLOCK} as a blocking call through {@link
     * Blocking}: the wait for the peer ends on {@link Thread#interrupt()} ({@code -EINTR}) or at
     * the timeout ({@code -ETIMEDOUT}), and does not pin a virtual thread's carrier. No descriptor
     * is left open when it ends so.
     *
     * @param path the path
     * @param flags access mode and flags, without {@code O_NONBLOCK}
     * @param timeoutNanos the longest wait, or negative for none
     * @return the descriptor, or -errno
     */
    public static int openBlocking(String path, int flags, long timeoutNanos) {
        Blocking.Attempt once = () -> openOnce(path, flags);
        Blocking.Attempt now = null;
        if ((flags & O_ACCMODE) == O_WRONLY) {
            // a writer's non-blocking open fails with ENXIO while there is no reader, and succeeds
            // (like the blocking one) once there is; it then only needs O_NONBLOCK cleared
            now =
                    () -> {
                        int fd = open(path, flags | O_NONBLOCK, 0);
                        if (fd == -Errnos.ENXIO) {
                            return -EAGAIN;
                        }
                        if (fd >= 0) {
                            int fl = fcntl(fd, F_GETFL, 0);
                            int r = fl < 0 ? fl : fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
                            if (r < 0) {
                                close(fd);
                                return r;
                            }
                        }
                        return fd;
                    };
            long r = now.run();
            if (r != -EAGAIN || timeoutNanos == 0) {
                return (int) r;
            }
        }
        return (int) Blocking.call(once, now, timeoutNanos, false);
    }

    private static long openOnce(String path, int flags) {
        MemorySegment st = Native.errnoState();
        MemorySegment p = cString(path);
        try {
            return result((int) open.H.invokeExact(st, p, flags, 0), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class mkfifo {
        static final MethodHandle H =
                Native.downcallErrno("mkfifo", FunctionDescriptor.of(C_INT, C_POINTER, C_INT));
    }

    /**
     * {@code int mkfifo(const char *pathname, mode_t mode);} (mkfifo(3)). The umask applies.
     *
     * @param path the path
     * @param mode the permissions
     * @return 0, or -errno
     */
    public static int mkfifo(String path, int mode) {
        MemorySegment st = Native.errnoState();
        MemorySegment p = cString(path);
        try {
            return result((int) mkfifo.H.invokeExact(st, p, mode), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** A NUL-terminated UTF-8 copy of {@code s} in this thread's scratch memory. */
    static MemorySegment cString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        for (byte x : b) {
            if (x == 0) {
                throw new IllegalArgumentException("path=" + s + " contains a NUL character");
            }
        }
        MemorySegment seg = Native.scratch(b.length + 1L);
        MemorySegment.copy(b, 0, seg, ValueLayout.JAVA_BYTE, 0, b.length);
        seg.set(ValueLayout.JAVA_BYTE, b.length, (byte) 0);
        return seg;
    }
}
