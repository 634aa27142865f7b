package io.jipc.internal.linux;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * What code that hands descriptors around needs beyond {@link Unistd} and {@link Sockets}: a
 * close-on-exec duplicate ({@code fcntl(F_DUPFD_CLOEXEC)}, fcntl(2)), and reading and setting the
 * integer socket options that tell sockets apart ({@code SO_REUSEADDR}, {@code SO_ACCEPTCONN},
 * socket(7)). Every wrapper returns the C result or the negated errno.
 */
public final class Descriptors {
    private Descriptors() {
    }

    /** fcntl: duplicate onto the lowest free number at or above the argument, close-on-exec ({@code F_DUPFD_CLOEXEC}). */
    public static final int F_DUPFD_CLOEXEC = 1030;
    /** {@code SO_REUSEADDR} (socket(7)), a boolean every IP socket has. */
    public static final int SO_REUSEADDR = 2;
    /** {@code SO_ACCEPTCONN} (socket(7)): 1 on a listening socket, read only. */
    public static final int SO_ACCEPTCONN = 30;

    /**
     * {@code fcntl(fd, F_DUPFD_CLOEXEC, lowest)} (fcntl(2)): a new descriptor for the same open
     * file description, close-on-exec.
     *
     * @param fd the descriptor to duplicate
     * @param lowest the lowest number the duplicate may get
     * @return the duplicate, or -errno ({@code -EBADF} if {@code fd} is not open)
     */
    public static int dupCloseOnExec(int fd, int lowest) {
        return Unistd.fcntl(fd, F_DUPFD_CLOEXEC, lowest);
    }

    /**
     * {@code getsockopt(fd, SOL_SOCKET, name, &int, &len)} (getsockopt(2)) of an {@code int}
     * option.
     *
     * @param fd the socket
     * @param name the option, e.g. {@link #SO_REUSEADDR}, {@link Sockets#SO_TYPE}
     * @return the value (zero or positive for every option read here), or -errno
     *     ({@code -ENOTSOCK}, {@code -EBADF})
     */
    public static int intOption(int fd, int name) {
        MemorySegment m = Native.scratch(8);
        MemorySegment v = m.asSlice(0, 4);
        int r = Sockets.getsockopt(fd, Sockets.SOL_SOCKET, name, v, m.asSlice(4, 4));
        return r < 0 ? r : v.get(ValueLayout.JAVA_INT, 0);
    }
}
