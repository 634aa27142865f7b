package io.jipc.internal.linux;

/**
 * The errno values the native layer itself decides on (retry on {@code EINTR}, wait on {@code
 * EAGAIN}, ...), declared once for every wrapper of this package (x86_64 values, checked against
 * gcc's {@code <errno.h>} and against {@code io.jipc.Errno} by {@code ErrnosTest}).
 *
 * <p>Wrappers return them negated ({@code -EINTR}). The public packages never use these numbers:
 * they compare a result with an {@code io.jipc.Errno} through {@code
 * io.jipc.internal.Errors.is(result, Errno.EAGAIN)}.
 */
public final class Errnos {
    private Errnos() {}

    /**
     * Interrupted system call ({@code EINTR}); also what {@link Blocking#call} returns on {@code
     * Thread.interrupt()}.
     */
    public static final int EINTR = 4;

    /**
     * No such device or address ({@code ENXIO}): a writer's non-blocking open of a FIFO nobody
     * reads.
     */
    public static final int ENXIO = 6;

    /**
     * Would block ({@code EAGAIN}, {@code EWOULDBLOCK}); also a semtimedop or SO_RCVTIMEO timeout.
     */
    public static final int EAGAIN = 11;

    /** Invalid argument ({@code EINVAL}): e.g. a CPU mask too small for sched_getaffinity. */
    public static final int EINVAL = 22;

    /** No message of the desired type ({@code ENOMSG}): msgrcv with {@code IPC_NOWAIT}. */
    public static final int ENOMSG = 42;

    /** Operation not supported ({@code EOPNOTSUPP}): e.g. {@code RWF_NOWAIT} on an old kernel. */
    public static final int EOPNOTSUPP = 95;

    /**
     * Timed out ({@code ETIMEDOUT}): what {@link Blocking#call} returns when its timeout passed.
     */
    public static final int ETIMEDOUT = 110;
}
