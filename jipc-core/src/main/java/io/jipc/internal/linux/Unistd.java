package io.jipc.internal.linux;

import static io.jipc.internal.linux.Errnos.EAGAIN;
import static io.jipc.internal.linux.Errnos.EINTR;
import static io.jipc.internal.linux.Errnos.EOPNOTSUPP;
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

/**
 * Downcalls for file descriptors: {@code pipe2}, {@code read}, {@code write}, {@code close},
 * {@code fcntl}, {@code open}, {@code mkfifo} (unistd.h, fcntl.h, sys/stat.h) and the constants
 * they take.
 *
 * <p>Every wrapper returns the C result on success and the <em>negated errno</em> on failure (see
 * {@link Native}). {@code read}, {@code write} and {@code open} can block (a FIFO's open waits for
 * its peer): they are never linked as {@code critical} and retry {@code EINTR}, and must be given
 * native memory. {@link #readNonBlocking} and {@link #writeNonBlocking} are the {@code critical}
 * forms that accept heap segments; call them only on descriptors in non-blocking mode.
 */
public final class Unistd {
    private Unistd() {
    }

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
        static final MethodHandle H = Native.downcallErrno("pipe2", FunctionDescriptor.of(C_INT, C_POINTER, C_INT));
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
        static final MethodHandle H = Native.downcallErrno("read", FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_SIZE_T));
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
     * {@code read(2)} of a descriptor in blocking mode as a blocking call through
     * {@link Blocking}: ends on {@link Thread#interrupt()} ({@code -EINTR}, nothing read) or at
     * the timeout ({@code -ETIMEDOUT}), and does not pin a virtual thread's carrier. Untimed on a
     * platform thread it is one read(2), as C makes it; otherwise it first reads with
     * {@code RWF_NOWAIT} (no helper thread, no timer in the common case) and enters the blocking
     * mechanism only if that would block. Other signals are retried.
     *
     * @param fd the descriptor, in blocking mode
     * @param buf native memory
     * @param count the most bytes to read
     * @param timeoutNanos the longest wait, or negative for none
     * @return the bytes read (0 at end of file), or -errno
     */
    public static long readBlocking(int fd, MemorySegment buf, long count, long timeoutNanos) {
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
        if (virtual || rwfNoWait) { // the common case: one call that does not wait
            long r = readNoWait(fd, buf, count);
            if (r != -EAGAIN || timeoutNanos == 0) {
                return r;
            }
        }
        return Blocking.call(() -> readOnce(Native.errnoState(), fd, buf, count),
                virtual ? () -> readNoWait(fd, buf, count) : null,
                timeoutNanos, false);
    }

    private static long readOnce(MemorySegment st, int fd, MemorySegment buf, long count) {
        try {
            return result((long) read.H.invokeExact(st, fd, buf, count), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code write(2)} of a descriptor in blocking mode as a blocking call through
     * {@link Blocking} (see {@link #readBlocking}): untimed on a platform thread one write(2); a
     * virtual thread first writes with {@code RWF_NOWAIT} (all of at most {@link #PIPE_BUF} bytes
     * or nothing; of more, what fits).
     *
     * @param fd the descriptor, in blocking mode
     * @param buf native memory
     * @param count the bytes to write
     * @param timeoutNanos the longest wait, or negative for none
     * @return the bytes written, or -errno ({@code -EINTR}, {@code -ETIMEDOUT}: nothing written)
     */
    public static long writeBlocking(int fd, MemorySegment buf, long count, long timeoutNanos) {
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
        if (virtual || rwfNoWait) { // the common case: one call that does not wait
            long r = writeNoWait(fd, buf, count);
            if (r != -EAGAIN || timeoutNanos == 0) {
                return r;
            }
        }
        return Blocking.call(() -> writeOnce(Native.errnoState(), fd, buf, count),
                virtual ? () -> writeNoWait(fd, buf, count) : null,
                timeoutNanos, false);
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
    /** False once the kernel said RWF_NOWAIT is unsupported (before Linux 5.8 for pipes): poll first. */
    private static volatile boolean rwfNoWait = true;

    private static final class preadv2 {
        static final MethodHandle H = Native.downcallErrno("preadv2",
                FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_INT, C_LONG, C_INT));
    }

    private static final class pwritev2 {
        static final MethodHandle H = Native.downcallErrno("pwritev2",
                FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_INT, C_LONG, C_INT));
    }

    /**
     * One read that does not wait, of a descriptor in blocking mode:
     * {@code preadv2(fd, iov, 1, -1, RWF_NOWAIT)} (preadv2(2)), or {@code poll} then
     * {@code read} where the kernel lacks {@code RWF_NOWAIT} for the descriptor.
     *
     * @param fd the descriptor
     * @param buf native memory
     * @param count the most bytes to read
     * @return the bytes read (0 at end of file), or -errno ({@code -EAGAIN} if it would block)
     */
    public static long readNoWait(int fd, MemorySegment buf, long count) {
        if (rwfNoWait) {
            long r = vector(preadv2.H, fd, buf, count);
            if (r != -EOPNOTSUPP) {
                return r;
            }
            rwfNoWait = false;
        }
        return Signals.pollNow(fd, Poll.POLLIN) == 0 ? -EAGAIN : read(fd, buf, count);
    }

    /**
     * One write that does not wait, of a descriptor in blocking mode:
     * {@code pwritev2(fd, iov, 1, -1, RWF_NOWAIT)} (pwritev2(2)), or {@code poll} then
     * {@code write} (at most {@link #PIPE_BUF} bytes) where the kernel lacks {@code RWF_NOWAIT}.
     *
     * @param fd the descriptor
     * @param buf native memory
     * @param count the bytes to write
     * @return the bytes written, or -errno ({@code -EAGAIN} if it would block)
     */
    public static long writeNoWait(int fd, MemorySegment buf, long count) {
        if (rwfNoWait) {
            long r = vector(pwritev2.H, fd, buf, count);
            if (r != -EOPNOTSUPP) {
                return r;
            }
            rwfNoWait = false;
        }
        return count > PIPE_BUF || Signals.pollNow(fd, Poll.POLLOUT) == 0 ? -EAGAIN : write(fd, buf, count);
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

    private static final class readCritical {
        static final MethodHandle H = Native.downcallErrno("read", FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_SIZE_T),
                Linker.Option.critical(true));
    }

    /**
     * {@code read(2)} linked {@code critical}: accepts heap segments. Only for descriptors in
     * non-blocking mode (a critical call that blocks stalls every safepoint).
     *
     * @param fd the descriptor, in non-blocking mode
     * @param buf heap or native memory
     * @param count the most bytes to read
     * @return the bytes read (0 at end of file), or -errno ({@code -EAGAIN} when empty)
     */
    public static long readNonBlocking(int fd, MemorySegment buf, long count) {
        MemorySegment st = Native.errnoState();
        try {
            long r;
            do {
                r = result((long) readCritical.H.invokeExact(st, fd, buf, count), st);
            } while (r == -EINTR);
            return r;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class write {
        static final MethodHandle H = Native.downcallErrno("write", FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_SIZE_T));
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

    private static final class writeCritical {
        static final MethodHandle H = Native.downcallErrno("write", FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_SIZE_T),
                Linker.Option.critical(true));
    }

    /**
     * {@code write(2)} linked {@code critical}: accepts heap segments. Only for descriptors in
     * non-blocking mode.
     *
     * @param fd the descriptor, in non-blocking mode
     * @param buf heap or native memory
     * @param count the bytes to write
     * @return the bytes written, or -errno ({@code -EAGAIN} when full)
     */
    public static long writeNonBlocking(int fd, MemorySegment buf, long count) {
        MemorySegment st = Native.errnoState();
        try {
            long r;
            do {
                r = result((long) writeCritical.H.invokeExact(st, fd, buf, count), st);
            } while (r == -EINTR);
            return r;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class close {
        static final MethodHandle H = Native.downcallErrno("close", FunctionDescriptor.of(C_INT, C_INT));
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
        static final MethodHandle H = Native.downcallErrno("fcntl", FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT),
                Linker.Option.firstVariadicArg(2));
    }

    /**
     * {@code int fcntl(int fd, int cmd, ... int arg);} (fcntl(2)), variadic, with an int
     * argument (0 for the commands that take none).
     *
     * @param fd the descriptor
     * @param cmd {@code F_GETFL}, {@code F_SETFL}, {@code F_GETFD}, {@code F_SETFD},
     *     {@code F_GETPIPE_SZ}, {@code F_SETPIPE_SZ}
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
        static final MethodHandle H = Native.downcallErrno("open", FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT),
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
     * {@code open(2)} of a FIFO without {@code O_NONBLOCK} as a blocking call through
     * {@link Blocking}: the wait for the peer ends on {@link Thread#interrupt()}
     * ({@code -EINTR}) or at the timeout ({@code -ETIMEDOUT}), and does not pin a virtual thread's
     * carrier. No descriptor is left open when it ends so.
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
            now = () -> {
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
        static final MethodHandle H = Native.downcallErrno("mkfifo", FunctionDescriptor.of(C_INT, C_POINTER, C_INT));
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
