package io.jipc.internal.linux;

import static io.jipc.internal.linux.Native.C_INT;
import static io.jipc.internal.linux.Native.C_LONG;
import static io.jipc.internal.linux.Native.C_POINTER;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Downcalls that examine one descriptor: {@code poll} with a timeout and {@code isatty} (poll.h,
 * unistd.h), and the {@code struct pollfd} offsets and event bits they use (x86_64 values, checked
 * against gcc by {@code PollTest}).
 *
 * <p>Same conventions as {@link Unistd}: the C result on success, the negated errno on failure.
 * {@link #poll} does not retry {@code EINTR}: it is one attempt for {@link Blocking#call}.
 */
@SuppressWarnings("restricted")
public final class Poll {
    private Poll() {}

    /** poll: data to read ({@code POLLIN}). */
    public static final short POLLIN = 0x1;

    /** poll: room to write ({@code POLLOUT}). */
    public static final short POLLOUT = 0x4;

    /**
     * poll: an error condition, e.g. the write end of a pipe whose readers are all gone ({@code
     * POLLERR}).
     */
    public static final short POLLERR = 0x8;

    /**
     * poll: hang up, e.g. a socket whose peer closed or a terminal that was hung up ({@code
     * POLLHUP}).
     */
    public static final short POLLHUP = 0x10;

    /** poll: the descriptor is not open ({@code POLLNVAL}). */
    public static final short POLLNVAL = 0x20;

    /** {@code offsetof(struct pollfd, fd)}. */
    public static final long POLLFD_FD = Structs.offset(Structs.POLLFD, "fd");

    /** {@code offsetof(struct pollfd, events)}. */
    public static final long POLLFD_EVENTS = Structs.offset(Structs.POLLFD, "events");

    /** {@code offsetof(struct pollfd, revents)}. */
    public static final long POLLFD_REVENTS = Structs.offset(Structs.POLLFD, "revents");

    /** {@code sizeof(struct pollfd)}. */
    public static final long POLLFD_BYTES = Structs.POLLFD.byteSize();

    private static final class poll {
        static final MethodHandle H =
                Native.downcallErrno(
                        "poll", FunctionDescriptor.of(C_INT, C_POINTER, C_LONG, C_INT));
    }

    /**
     * {@code int poll(struct pollfd *fds, nfds_t nfds, int timeout);} (poll(2)) for one descriptor:
     * waits up to {@code timeoutMillis} (-1: no limit, 0: not at all) for one of {@code events} or
     * for {@code POLLERR}/{@code POLLHUP}/{@code POLLNVAL}, which the kernel always reports. {@code
     * EINTR} is returned, not retried.
     *
     * @param fd the descriptor
     * @param events the events of interest ({@code 0}: only the error conditions)
     * @param timeoutMillis the longest wait in milliseconds, -1 for none
     * @return the returned events ({@code revents}, 0 when the time ran out), or -errno
     */
    public static int poll(int fd, short events, int timeoutMillis) {
        MemorySegment st = Native.errnoState();
        MemorySegment pfd = Native.pollfd();
        pfd.set(ValueLayout.JAVA_INT, POLLFD_FD, fd);
        pfd.set(ValueLayout.JAVA_SHORT, POLLFD_EVENTS, events);
        pfd.set(ValueLayout.JAVA_SHORT, POLLFD_REVENTS, (short) 0);
        try {
            int r = (int) poll.H.invokeExact(st, pfd, 1L, timeoutMillis);
            return r < 0
                    ? -Native.errno(st)
                    : r == 0 ? 0 : pfd.get(ValueLayout.JAVA_SHORT, POLLFD_REVENTS) & 0xffff;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class isatty {
        static final MethodHandle H =
                Native.downcall("isatty", FunctionDescriptor.of(C_INT, C_INT));
    }

    /**
     * {@code int isatty(int fd);} (isatty(3)).
     *
     * @param fd the descriptor
     * @return true if it refers to a terminal
     */
    public static boolean isatty(int fd) {
        try {
            return (int) isatty.H.invokeExact(fd) == 1;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
